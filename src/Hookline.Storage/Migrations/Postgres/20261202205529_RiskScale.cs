using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hookline.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RiskScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "NotifySkipped",
                table: "Reviews",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            // "Score" now holds the risk (0-100, higher is more dangerous, for every verdict). A clean or spam
            // report analysed before that (its analysis has no "risk") holds a score on another scale (for
            // clean, 100 meant "surely clean"), which would read as a high risk and sort to the top: cleared,
            // so it shows no number until `hookline reprocess --outdated` derives the risk again. Phishing
            // scores were already the risk (the net phishing points, capped at 100). The analysis JSON is
            // written compactly, so its only "risk": is the assessment's key (inside a string a quote is escaped).
            migrationBuilder.Sql("""
                UPDATE "Reports" SET "Score" = NULL
                WHERE "Score" IS NOT NULL AND "Assessment" IN ('clean', 'spam')
                  AND NOT EXISTS (SELECT 1 FROM "ReportAnalyses" a WHERE a."ReportId" = "Reports"."Id" AND a."Json" LIKE '%"risk":%');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NotifySkipped",
                table: "Reviews");
        }
    }
}
