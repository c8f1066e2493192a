using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hookline.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class QueueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The list's default order (ReportQuery: not marked yet first, then the highest risk, none last, then
            // the newest) as indexes on exactly those expressions, alone and after each few-valued filter and the
            // reporter (as the subject sort has its own), so that a page, deep in the list or under a filter, is read
            // off an index in order instead of sorting every match (SQLite picks the filter's index and sorts
            // otherwise). EF's model cannot describe an index on expressions: a later migration that rebuilds
            // "Reports" on SQLite must create them again (the list tests check that the plans use them).
            migrationBuilder.Sql("""
                CREATE INDEX "IX_Reports_Queue" ON "Reports" (("MarkedAs" IS NOT NULL), ("Score" IS NULL), "Score" DESC, (COALESCE("ReportedAt", "ReceivedAt")) DESC, "Id" DESC);
                CREATE INDEX "IX_Reports_UserVerdict_Queue" ON "Reports" ("UserVerdict", ("MarkedAs" IS NOT NULL), ("Score" IS NULL), "Score" DESC, (COALESCE("ReportedAt", "ReceivedAt")) DESC, "Id" DESC);
                CREATE INDEX "IX_Reports_Assessment_Queue" ON "Reports" ("Assessment", ("MarkedAs" IS NOT NULL), ("Score" IS NULL), "Score" DESC, (COALESCE("ReportedAt", "ReceivedAt")) DESC, "Id" DESC);
                CREATE INDEX "IX_Reports_MarkedAs_Queue" ON "Reports" ("MarkedAs", ("MarkedAs" IS NOT NULL), ("Score" IS NULL), "Score" DESC, (COALESCE("ReportedAt", "ReceivedAt")) DESC, "Id" DESC);
                CREATE INDEX "IX_Reports_Status_MarkedAs_Queue" ON "Reports" ("Status", "MarkedAs", ("MarkedAs" IS NOT NULL), ("Score" IS NULL), "Score" DESC, (COALESCE("ReportedAt", "ReceivedAt")) DESC, "Id" DESC);
                CREATE INDEX "IX_Reports_ReporterAddress_Queue" ON "Reports" ("ReporterAddress", ("MarkedAs" IS NOT NULL), ("Score" IS NULL), "Score" DESC, (COALESCE("ReportedAt", "ReceivedAt")) DESC, "Id" DESC);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS "IX_Reports_ReporterAddress_Queue";
                DROP INDEX IF EXISTS "IX_Reports_Status_MarkedAs_Queue";
                DROP INDEX IF EXISTS "IX_Reports_MarkedAs_Queue";
                DROP INDEX IF EXISTS "IX_Reports_Assessment_Queue";
                DROP INDEX IF EXISTS "IX_Reports_UserVerdict_Queue";
                DROP INDEX IF EXISTS "IX_Reports_Queue";
                """);
        }
    }
}
