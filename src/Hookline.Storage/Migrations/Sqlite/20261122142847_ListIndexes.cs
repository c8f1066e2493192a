using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hookline.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Reports_MarkedAs",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_Reports_ReceivedAt",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_Reports_ReporterAddress",
                table: "Reports");

            migrationBuilder.CreateIndex(
                name: "IX_Reports_Assessment_ReportedAt_Id",
                table: "Reports",
                columns: new[] { "Assessment", "ReportedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Reports_MarkedAs_ReportedAt_Id",
                table: "Reports",
                columns: new[] { "MarkedAs", "ReportedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Reports_ReporterAddress_ReportedAt_Id",
                table: "Reports",
                columns: new[] { "ReporterAddress", "ReportedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Reports_Score_Id",
                table: "Reports",
                columns: new[] { "Score", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Reports_Status_MarkedAs_ReportedAt_Id",
                table: "Reports",
                columns: new[] { "Status", "MarkedAs", "ReportedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Reports_UserVerdict_ReportedAt_Id",
                table: "Reports",
                columns: new[] { "UserVerdict", "ReportedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Reports_Assessment_ReportedAt_Id",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_Reports_MarkedAs_ReportedAt_Id",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_Reports_ReporterAddress_ReportedAt_Id",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_Reports_Score_Id",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_Reports_Status_MarkedAs_ReportedAt_Id",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_Reports_UserVerdict_ReportedAt_Id",
                table: "Reports");

            migrationBuilder.CreateIndex(
                name: "IX_Reports_MarkedAs",
                table: "Reports",
                column: "MarkedAs");

            migrationBuilder.CreateIndex(
                name: "IX_Reports_ReceivedAt",
                table: "Reports",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Reports_ReporterAddress",
                table: "Reports",
                column: "ReporterAddress");
        }
    }
}
