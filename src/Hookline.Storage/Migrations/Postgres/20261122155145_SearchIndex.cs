using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hookline.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The analysis moves to its own table first, so that dropping the column loses nothing.
            migrationBuilder.CreateTable(
                name: "ReportAnalyses",
                columns: table => new
                {
                    ReportId = table.Column<long>(type: "bigint", nullable: false),
                    Json = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportAnalyses", x => x.ReportId);
                    table.ForeignKey(
                        name: "FK_ReportAnalyses_Reports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "Reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.Sql("""
                INSERT INTO "ReportAnalyses" ("ReportId", "Json") SELECT "Id", "AnalysisJson" FROM "Reports" WHERE "AnalysisJson" IS NOT NULL;
                """);

            migrationBuilder.DropColumn(
                name: "AnalysisJson",
                table: "Reports");

            migrationBuilder.CreateIndex(
                name: "IX_Reports_Subject_Id",
                table: "Reports",
                columns: new[] { "Subject", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Reports_UserVerdict_Subject_Id",
                table: "Reports",
                columns: new[] { "UserVerdict", "Subject", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Reports_Assessment_Subject_Id",
                table: "Reports",
                columns: new[] { "Assessment", "Subject", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Reports_MarkedAs_Subject_Id",
                table: "Reports",
                columns: new[] { "MarkedAs", "Subject", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Reports_Status_MarkedAs_Subject_Id",
                table: "Reports",
                columns: new[] { "Status", "MarkedAs", "Subject", "Id" });

            // The search index (ReportSearch in Hookline.Storage): a pg_trgm GIN index over the searchable
            // fields joined by line feeds, which serves ILIKE '%word%'. The expression must stay exactly
            // ReportSearch.PostgresText. Without the extension (not installed on the server, or not allowed
            // to this user) the search still works, by reading the table.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    BEGIN
                        CREATE EXTENSION IF NOT EXISTS pg_trgm;
                    EXCEPTION WHEN OTHERS THEN
                        RAISE WARNING 'pg_trgm is not available (%); the report search will read the whole table', SQLERRM;
                    END;
                    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
                        CREATE INDEX "IX_Reports_Search" ON "Reports" USING gin ((coalesce("Subject", '') || chr(10) || coalesce("ReporterName", '') || chr(10) || coalesce("ReporterAddress", '') || chr(10) || coalesce("SenderName", '') || chr(10) || coalesce("SenderAddress", '') || chr(10) || coalesce("NetworkMessageId", '') || chr(10) || coalesce("OriginalMessageId", '')) gin_trgm_ops);
                    END IF;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS "IX_Reports_Search";
                """);

            migrationBuilder.DropIndex(
                name: "IX_Reports_UserVerdict_Subject_Id",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_Reports_Assessment_Subject_Id",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_Reports_MarkedAs_Subject_Id",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_Reports_Status_MarkedAs_Subject_Id",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_Reports_Subject_Id",
                table: "Reports");

            migrationBuilder.AddColumn<string>(
                name: "AnalysisJson",
                table: "Reports",
                type: "text",
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE "Reports" SET "AnalysisJson" = a."Json" FROM "ReportAnalyses" a WHERE a."ReportId" = "Reports"."Id";
                """);

            migrationBuilder.DropTable(
                name: "ReportAnalyses");
        }
    }
}
