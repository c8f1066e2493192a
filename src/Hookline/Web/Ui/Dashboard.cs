using Hookline.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Ui;

/// <summary>One day's reports split into named series (in legend order).</summary>
internal sealed record DayCounts(DateOnly Day, IReadOnlyList<int> Counts)
{
    public int Total => Counts.Sum();
}

internal sealed record StackedChart(string Title, IReadOnlyList<string> Series, IReadOnlyList<string> Classes, IReadOnlyList<DayCounts> Days)
{
    public int Max => Math.Max(1, Days.Max(d => d.Total));
}

internal sealed record ReporterAccuracy(string Address, int Reports, int Threats, int Clean)
{
    /// <summary>Share of the reporter's decided reports that were a threat (phishing or spam), or null before any decision.</summary>
    public double? Accuracy => Threats + Clean == 0 ? null : (double)Threats / (Threats + Clean);
}

internal sealed class DashboardData
{
    public required DateOnly FirstDay { get; init; }

    public required StackedChart ByUserVerdict { get; init; }

    public required StackedChart ByFinalVerdict { get; init; }

    public required int Decided { get; init; }

    public TimeSpan? MedianToDecision { get; init; }

    public TimeSpan? P90ToDecision { get; init; }

    public required IReadOnlyList<ReporterAccuracy> TopReporters { get; init; }
}

/// <summary>The dashboard's figures over the last 30 days (UTC days), each from one grouped query.</summary>
internal static class Dashboard
{
    public const int Days = 30;

    public static async Task<DashboardData> LoadAsync(HooklineStore store, DateTime now, CancellationToken cancellationToken)
    {
        var firstDay = DateOnly.FromDateTime(now.Date.AddDays(-(Days - 1)));
        var since = firstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await using var context = store.CreateContext();
        var recent = context.Reports.AsNoTracking().Where(r => r.ReportedAt >= since);

        var groups = await recent
            .GroupBy(r => new { Day = r.ReportedAt!.Value.Date, r.UserVerdict, r.MarkedAs, r.Assessment })
            .Select(g => new { g.Key.Day, g.Key.UserVerdict, g.Key.MarkedAs, g.Key.Assessment, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var dayList = Enumerable.Range(0, Days).Select(i => firstDay.AddDays(i)).ToList();
        StackedChart Chart(string title, string[] series, string[] classes, Func<string?, string?, string?, int> bucket)
        {
            var counts = dayList.ToDictionary(d => d, _ => new int[series.Length]);
            foreach (var g in groups)
            {
                var day = DateOnly.FromDateTime(g.Day);
                if (counts.TryGetValue(day, out var row))
                {
                    row[bucket(g.UserVerdict, g.MarkedAs, g.Assessment)] += g.Count;
                }
            }

            return new StackedChart(title, series, classes, dayList.Select(d => new DayCounts(d, counts[d])).ToList());
        }

        var byUser = Chart("Reports per day by the user's verdict", ["Phishing", "Junk", "Not junk"], ["v-phish", "v-spam", "v-clean"],
            (user, _, _) => user switch { "junk" => 1, "notJunk" => 2, _ => 0 });
        var byFinal = Chart("Reports per day by final verdict (marked as, else Hookline's assessment)", ["Phishing", "Spam", "No threats / clean", "Not assessed"], ["v-phish", "v-spam", "v-clean", "v-none"],
            (_, marked, assessment) => (marked ?? assessment) switch { "phishing" => 0, "spam" => 1, "noThreatsFound" or "clean" => 2, _ => 3 });

        var decisions = await recent.Where(r => r.MarkedAt != null)
            .Select(r => new { r.ReportedAt, r.MarkedAt })
            .ToListAsync(cancellationToken);
        var waits = decisions.Select(d => d.MarkedAt!.Value - d.ReportedAt!.Value).Where(t => t >= TimeSpan.Zero).Order().ToList();

        var top = await recent.Where(r => r.ReporterAddress != null)
            .GroupBy(r => r.ReporterAddress)
            .Select(g => new
            {
                Address = g.Key,
                Reports = g.Count(),
                Threats = g.Count(r => r.MarkedAs == "phishing" || r.MarkedAs == "spam"),
                Clean = g.Count(r => r.MarkedAs == "noThreatsFound"),
            })
            .OrderByDescending(x => x.Reports).ThenBy(x => x.Address).Take(10)
            .ToListAsync(cancellationToken);

        return new DashboardData
        {
            FirstDay = firstDay,
            ByUserVerdict = byUser,
            ByFinalVerdict = byFinal,
            Decided = waits.Count,
            MedianToDecision = Percentile(waits, 0.5),
            P90ToDecision = Percentile(waits, 0.9),
            TopReporters = top.Select(t => new ReporterAccuracy(t.Address!, t.Reports, t.Threats, t.Clean)).ToList(),
        };
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static TimeSpan? Percentile(IReadOnlyList<TimeSpan> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
