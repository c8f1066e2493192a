using System.Globalization;
using System.Net;
using Hookline.Reports.Analysis.Domains;

namespace Hookline.Reports.Analysis.Relay;

/// <summary>
/// Each Received hop (newest first, as written) with hosts, IP, time and the delay from the hop
/// before it; the first external hop: the newest hop whose "by" is inside the organisation (one of
/// <see cref="AnalysisSettings.OrganizationDomains"/>, or Exchange Online's own servers) and whose
/// "from" is not. Runs after <see cref="Authentication.AuthenticationAnalyzer"/> to read Forefront's country.
/// </summary>
public sealed class RelayAnalyzer : IMessageAnalyzer
{
    /// <summary>At most this many Received fields are parsed; the rest are only counted.</summary>
    public const int MaxHops = 500;

    /// <summary>More hops than this is unusual (Exchange Online alone adds five to eight).</summary>
    public const int HighHopCount = 20;

    /// <summary>A hop this much earlier than the one before it is out of order (allowing for clock skew).</summary>
    public static readonly TimeSpan OutOfOrderTolerance = TimeSpan.FromMinutes(5);

    /// <summary>A single hop slower than this is a long delay (mail queued or held, or a date forged).</summary>
    public static readonly TimeSpan LongDelay = TimeSpan.FromHours(1);

    /// <summary>Exchange Online's own server domains: hops between them are inside the organisation's mail system.</summary>
    public static IReadOnlyList<string> ExchangeOnlineDomains { get; } = ["outlook.com", "office365.com", "exchangelabs.com"];

    /// <summary>Another tenant's outbound servers: under <c>outlook.com</c>, but outside the organisation.</summary>
    public const string ExchangeOnlineOutbound = "outbound.protection.outlook.com";

    public void Analyze(AnalysisContext context)
    {
        var result = context.Result;
        var total = 0;
        foreach (var header in context.Message.Headers.FindAll("Received"))
        {
            if (total < MaxHops)
            {
                result.Received.Add(ReceivedParser.Parse(header.Value, total));
            }

            total++;
        }

        var hops = result.Received;
        for (var i = 0; i + 1 < hops.Count; i++)
        {
            if (hops[i].At is { } newer && hops[i + 1].At is { } older)
            {
                hops[i].DelayFromPrevious = newer - older;
            }
        }

        result.FirstExternalHop = FindFirstExternal(hops, context.Settings.OrganizationDomains);
        AddFindings(context, total);
    }

    /// <summary>True when a host belongs to the organisation's mail system: one of its domains, or Exchange Online (not another tenant's outbound servers).</summary>
    public static bool IsInside(string? host, IReadOnlyList<string> organizationDomains)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        if (DomainNames.IsUnderAny(host, organizationDomains))
        {
            return true;
        }

        return !DomainNames.IsSameOrSubdomain(host, ExchangeOnlineOutbound) && DomainNames.IsUnderAny(host, ExchangeOnlineDomains);
    }

    /// <summary>The newest hop whose "by" is inside and whose "from" is outside, or null.</summary>
    public static ReceivedHop? FindFirstExternal(IReadOnlyList<ReceivedHop> hops, IReadOnlyList<string> organizationDomains)
    {
        foreach (var hop in hops)
        {
            if (!IsInside(hop.By, organizationDomains))
            {
                continue;
            }

            var fromKnown = hop.From is not null || hop.FromReverseDns is not null || hop.Ip is not null;
            if (fromKnown && !IsInside(hop.From, organizationDomains) && !IsInside(hop.FromReverseDns, organizationDomains))
            {
                return hop;
            }
        }

        return null;
    }

    private static void AddFindings(AnalysisContext context, int total)
    {
        var result = context.Result;
        var hops = result.Received;
        var first = result.FirstExternalHop;

        if (first?.Ip is { } ip && IPAddress.TryParse(ip, out var address) && DomainNames.IsPrivateOrLocal(address))
        {
            result.Add("relay.private-ip-origin", $"The hop that entered the organisation came from a private or local address {ip} (from {first.From}, by {first.By}).");
        }

        var outOfOrder = hops.FindAll(h => h.DelayFromPrevious < -OutOfOrderTolerance);
        if (outOfOrder.Count > 0)
        {
            var h = outOfOrder[0];
            result.Add("relay.date-out-of-order", string.Create(CultureInfo.InvariantCulture, $"{outOfOrder.Count} hop(s) dated before the hop below them; hop {h.Index} (by {h.By}) is {-h.DelayFromPrevious!.Value.TotalMinutes:0} min earlier."));
        }

        ReceivedHop? slowest = null;
        foreach (var h in hops)
        {
            if (h.DelayFromPrevious > LongDelay && (slowest is null || h.DelayFromPrevious > slowest.DelayFromPrevious))
            {
                slowest = h;
            }
        }

        if (slowest is not null)
        {
            result.Add("relay.long-delay", string.Create(CultureInfo.InvariantCulture, $"Hop {slowest.Index} (by {slowest.By}) took {slowest.DelayFromPrevious!.Value.TotalHours:0.#} h."));
        }

        if (total > HighHopCount)
        {
            var note = total > MaxHops ? string.Create(CultureInfo.InvariantCulture, $" (only the first {MaxHops} read)") : string.Empty;
            result.Add("relay.hop-count-high", string.Create(CultureInfo.InvariantCulture, $"{total} Received fields{note}."));
        }

        var forefront = result.Authentication.Forefront;
        if (forefront?.Country is { Length: > 0 } country)
        {
            if (first is not null && (forefront.Cip is null || first.Ip is null || string.Equals(forefront.Cip, first.Ip, StringComparison.OrdinalIgnoreCase)))
            {
                first.Country = country;
            }

            result.Add("relay.origin-country", $"{country} (Exchange Online CTRY for connecting IP {forefront.Cip})");
        }
    }
}
