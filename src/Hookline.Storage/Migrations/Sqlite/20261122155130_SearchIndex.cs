using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hookline.Storage.Migrations.Sqlite
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
                    ReportId = table.Column<long>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: true)
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

            // SQLite's own DROP COLUMN (3.35+), not EF's table rebuild: the rebuild would run at the end of the
            // migration, in transactions of its own, and drop the triggers below with the old table.
            migrationBuilder.Sql("""
                ALTER TABLE "Reports" DROP COLUMN "AnalysisJson";
                """);

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

            // The search index (ReportSearch in Hookline.Storage): an FTS5 table with the trigram tokenizer,
            // one row per report (rowid = report id) holding its searchable fields joined by line feeds, kept
            // in step by triggers. A later migration that rebuilds "Reports" (SQLite drops a table's triggers
            // with the table) must create these triggers again.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ReportSearch" USING fts5("Text", tokenize = 'trigram case_sensitive 0');

                INSERT INTO "ReportSearch" (rowid, "Text")
                SELECT "Id", coalesce("Subject", '') || char(10) || coalesce("ReporterName", '') || char(10) || coalesce("ReporterAddress", '') || char(10) || coalesce("SenderName", '') || char(10) || coalesce("SenderAddress", '') || char(10) || coalesce("NetworkMessageId", '') || char(10) || coalesce("OriginalMessageId", '')
                FROM "Reports";

                CREATE TRIGGER "Reports_Search_Insert" AFTER INSERT ON "Reports" BEGIN
                    INSERT INTO "ReportSearch" (rowid, "Text")
                    VALUES (new."Id", coalesce(new."Subject", '') || char(10) || coalesce(new."ReporterName", '') || char(10) || coalesce(new."ReporterAddress", '') || char(10) || coalesce(new."SenderName", '') || char(10) || coalesce(new."SenderAddress", '') || char(10) || coalesce(new."NetworkMessageId", '') || char(10) || coalesce(new."OriginalMessageId", ''));
                END;

                CREATE TRIGGER "Reports_Search_Update" AFTER UPDATE OF "Subject", "ReporterName", "ReporterAddress", "SenderName", "SenderAddress", "NetworkMessageId", "OriginalMessageId" ON "Reports" BEGIN
                    UPDATE "ReportSearch"
                    SET "Text" = coalesce(new."Subject", '') || char(10) || coalesce(new."ReporterName", '') || char(10) || coalesce(new."ReporterAddress", '') || char(10) || coalesce(new."SenderName", '') || char(10) || coalesce(new."SenderAddress", '') || char(10) || coalesce(new."NetworkMessageId", '') || char(10) || coalesce(new."OriginalMessageId", '')
                    WHERE rowid = new."Id";
                END;

                CREATE TRIGGER "Reports_Search_Delete" AFTER DELETE ON "Reports" BEGIN
                    DELETE FROM "ReportSearch" WHERE rowid = old."Id";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER "Reports_Search_Insert";
                DROP TRIGGER "Reports_Search_Update";
                DROP TRIGGER "Reports_Search_Delete";
                DROP TABLE "ReportSearch";
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE "Reports" SET "AnalysisJson" = (SELECT "Json" FROM "ReportAnalyses" WHERE "ReportId" = "Reports"."Id");
                """);

            migrationBuilder.DropTable(
                name: "ReportAnalyses");
        }
    }
}
