using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Hookline.Cli;
using Hookline.Hosting;
using Hookline.Intake.Demo;
using Hookline.Review.Accounts;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

// The user-reported list page at 100,000 reports: builds a SQLite store, starts the server, signs in,
// and requests the list with representative query strings. Usage: [REPORTS] [ROUNDS]; with KEEP=1 in the
// environment the store is kept (its folder is printed) for looking at query plans.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var root = Directory.CreateTempSubdirectory("hookline-web-bench-").FullName;
try
{
    var data = await DataFolder.OpenAsync(Path.Combine(root, "data"), default);
    var build = Stopwatch.StartNew();
    await Seed.FillAsync(data, root, count);
    Console.WriteLine($"store: {count:N0} reports in {build.Elapsed.TotalSeconds:0.0} s ({new FileInfo(Path.Combine(root, "data", "hookline.db")).Length / 1024 / 1024} MB)");
    await new AccountService(data.Store).AddUserAsync("bench", "bench-password-123", Roles.Analyst, "bench", default);

    var app = HooklineServer.Build(data, new ServerOptions { Urls = "http://127.0.0.1:0", Sources = false, Workers = false });
    await app.StartAsync();
    var cookies = new CookieContainer();
    using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(HooklineServer.Addresses(app)[0]) };
    var login = await client.GetStringAsync("/login");
    var token = WebUtility.HtmlDecode(Regex.Match(login, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
    var signIn = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "bench", ["Password"] = "bench-password-123", ["__RequestVerificationToken"] = token }));
    if (signIn.StatusCode != HttpStatusCode.Redirect)
    {
        throw new InvalidOperationException($"sign-in failed: {signIn.StatusCode}");
    }

    var day = DateTime.UtcNow.AddDays(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    string[] queries =
    [
        "/",
        "/?userVerdict=junk",
        "/?status=unmarked",
        "/?markedAs=phishing",
        "/?reporter=casey@contoso.com",
        "/?sender=deals.fabrikam.example",
        $"/?from={day}&to={day}",
        "/?q=invoice",
        "/?q=casey%20mailbox",
        "/?sort=risk",
        "/?sort=reported",
        "/?sort=subject&userVerdict=phishing",
        "/?page=500",
    ];

    Console.WriteLine();
    Console.WriteLine($"| query | rows | server p50 ms | server p95 ms | client p50 ms | client p95 ms |");
    Console.WriteLine($"|---|---:|---:|---:|---:|---:|");
    foreach (var query in queries)
    {
        var server = new List<double>();
        var wall = new List<double>();
        var rows = 0;
        for (var i = -3; i < rounds; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(query);
            var html = await response.Content.ReadAsStringAsync();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{query}: {response.StatusCode}");
            }

            if (i < 0)
            {
                continue;
            }

            rows = Regex.Count(html, "<tr data-href=");
            var timing = response.Headers.GetValues("Server-Timing").Single();
            server.Add(double.Parse(timing[(timing.IndexOf('=', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture));
            wall.Add(elapsed);
        }

        Console.WriteLine($"| `{query}` | {rows} | {P(server, 0.5):0.0} | {P(server, 0.95):0.0} | {P(wall, 0.5):0.0} | {P(wall, 0.95):0.0} |");
    }

    await app.StopAsync();
    await app.DisposeAsync();
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    if (Environment.GetEnvironmentVariable("KEEP") == "1")
    {
        Console.WriteLine($"kept: {root}");
    }
    else
    {
        Directory.Delete(root, recursive: true);
    }
}

static double P(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>Fills the store fast: 64 demo reports through the real pipeline, then derived copies of those rows (and their analyses) in one SQL transaction, each with its own tiny raw blob (RawSha256 is unique), reporter, verdict, time and mark.</summary>
internal static class Seed
{
    private static readonly string[] Reporters = ["avery", "blake", "casey", "devon", "emery", "finley", "gray", "harper", "indigo", "jordan", "kai", "logan", "morgan", "noel", "oakley", "parker"];
    private static readonly string[] UserVerdicts = ["phishing", "phishing", "phishing", "junk", "notJunk"];
    private static readonly string?[] Marks = [null, null, null, null, "phishing", "spam", "noThreatsFound"];

    public static async Task FillAsync(DataFolder data, string root, int count)
    {
        var folder = Path.Combine(root, "templates");
        Directory.CreateDirectory(folder);
        var i = 0;
        foreach (var template in DemoReports.Generate(64, 7, DateTimeOffset.UtcNow))
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, $"{i++:D3}.eml"), template);
        }

        await IngestCommand.RunAsync(data, [folder], TextWriter.Null, TextWriter.Null, progress: false, default);
        await using var context = data.Store.CreateContext();
        var templates = await context.Reports.Select(r => r.Id).ToListAsync();
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var raw = connection.CreateCommand();
        raw.Transaction = transaction;
        raw.CommandText = "INSERT INTO RawMessages (Sha256, Content, Size, StoredAt) VALUES ($sha, $content, $size, $at)";
        await using var report = connection.CreateCommand();
        report.Transaction = transaction;
        report.CommandText = """
            INSERT INTO Reports (RawSha256, DedupKey, Source, SourceKey, Size, ReceivedAt, StoredAt, Status, Attempts, Format, ReporterName, ReporterAddress,
                UserVerdict, VerdictAssumed, NetworkMessageId, ReportedAt, Subject, SenderName, SenderAddress, OriginalMessageId, Assessment, Score,
                SkipReason, Error, ProcessedAt, PipelineVersion, MarkedAs, MarkedBy, MarkedAt, NotificationState)
            SELECT $sha, NULL, 'bench', $key, Size, $at, $at, Status, Attempts, Format, $reporterName, $reporter,
                $verdict, VerdictAssumed, $network, $at, Subject, SenderName, SenderAddress, $messageId, Assessment, Score,
                SkipReason, Error, $at, PipelineVersion, $marked, $markedBy, $markedAt, $notification
            FROM Reports WHERE Id = $template;
            INSERT INTO ReportAnalyses (ReportId, Json) SELECT last_insert_rowid(), Json FROM ReportAnalyses WHERE ReportId = $template;
            """;
        var random = new Random(42);
        var now = DateTime.UtcNow;
        for (var n = templates.Count; n < count; n++)
        {
            var content = Encoding.ASCII.GetBytes($"bench report {n}\r\n");
            var sha = Convert.ToHexStringLower(SHA256.HashData(content));
            var at = now.AddMinutes(-random.Next(60 * 24 * 90));
            var mark = Marks[random.Next(Marks.Length)];
            var who = Reporters[random.Next(Reporters.Length)];
            Set(raw, ("$sha", sha), ("$content", content), ("$size", content.Length), ("$at", Time(at)));
            await raw.ExecuteNonQueryAsync();
            Set(report,
                ("$sha", sha), ("$key", $"bench-{n}"), ("$at", Time(at)), ("$reporterName", char.ToUpperInvariant(who[0]) + who[1..]), ("$reporter", who + "@contoso.com"),
                ("$verdict", UserVerdicts[random.Next(UserVerdicts.Length)]), ("$network", Guid.NewGuid().ToString()), ("$messageId", $"bench{n}@mail.example"),
                ("$marked", mark), ("$markedBy", mark is null ? null : "analyst"), ("$markedAt", mark is null ? null : Time(at.AddMinutes(5 + random.Next(600)))),
                ("$notification", mark is null ? null : "sent"), ("$template", templates[random.Next(templates.Count)]));
            await report.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    private static string Time(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static void Set(System.Data.Common.DbCommand command, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            var parameter = command.Parameters.Contains(name) ? command.Parameters[name] : null;
            if (parameter is null)
            {
                parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }

            parameter.Value = value ?? DBNull.Value;
        }
    }
}
