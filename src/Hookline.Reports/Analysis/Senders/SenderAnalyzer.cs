using Hookline.Mime.Addresses;
using Hookline.Reports.Analysis.Domains;

namespace Hookline.Reports.Analysis.Senders;

/// <summary>
/// From vs Reply-To vs Return-Path vs Sender registrable domains; display names carrying another
/// address or the organisation's name; lookalike and punycode domains; free-mail senders posing as a
/// business; the allow and block lists. Registrable domains come from <see cref="PublicSuffixList.Default"/>.
/// </summary>
public sealed class SenderAnalyzer : IMessageAnalyzer
{
    /// <summary>Free-mail providers (registrable domains); kept small on purpose.</summary>
    public static IReadOnlyList<string> FreeMailDomains { get; } =
    [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com",
        "aol.com", "icloud.com", "me.com", "mail.com", "email.com", "gmx.com", "gmx.net", "gmx.de", "web.de", "yandex.com", "yandex.ru",
        "mail.ru", "protonmail.com", "proton.me", "zoho.com", "qq.com", "163.com",
    ];

    /// <summary>Words in a display name that present the sender as an organisation rather than a person.</summary>
    public static IReadOnlyList<string> BusinessWords { get; } =
    [
        "support", "service", "services", "team", "helpdesk", "help desk", "it desk", "admin", "administrator", "security",
        "billing", "invoice", "payroll", "accounts", "finance", "hr", "human resources", "bank", "customer", "department",
        "office", "microsoft", "office365", "outlook", "paypal", "apple", "amazon", "docusign", "dhl", "fedex", "notification",
        "no-reply", "noreply", "mailbox", "webmaster", "postmaster",
    ];

    public void Analyze(AnalysisContext context)
    {
        var message = context.Message;
        var settings = context.Settings;
        var result = context.Result;
        var summary = result.Sender;
        var psl = PublicSuffixList.Default;
        summary.PublicSuffixSource = psl.Source;

        var fromList = AddressParser.Flatten(message.From);
        var from = DisplayedSender.Of(message.From, out var fragments);
        var mailboxes = fromList.Count(m => m.Domain.Length > 0);
        summary.FromCount = mailboxes;
        if (from is null)
        {
            result.Add("sender.from-missing", fromList.Count > 0 && !string.IsNullOrWhiteSpace(fromList[0].Name ?? fromList[0].Address)
                ? $"From holds only a name (\"{Bound(fromList[0].Name ?? fromList[0].Address)}\") and no address."
                : "The message has no readable From address.");
        }
        else
        {
            if (mailboxes > 1 && message.Sender is null)
            {
                result.Add("sender.multiple-from", $"From holds {mailboxes} mailboxes and there is no Sender field.");
            }

            if (fragments > 0)
            {
                result.Add("sender.from-malformed", $"The From display name has an unquoted comma (\"{Bound(from.Name ?? string.Empty)}\" <{from.Address}>): the header does not parse as one mailbox, as mail clients show it.");
            }
        }

        var fromDomain = Domain(from?.Domain);
        summary.FromAddress = from?.Address;
        summary.FromName = from?.Name;
        summary.FromDomain = fromDomain;
        summary.FromRegistrableDomain = Registrable(fromDomain);
        summary.IsInternal = fromDomain is not null && IsOrganization(fromDomain, settings);
        summary.IsFreeMail = summary.FromRegistrableDomain is not null && FreeMailDomains.Contains(summary.FromRegistrableDomain, StringComparer.Ordinal);

        var replyTo = AddressParser.Flatten(message.ReplyTo);
        foreach (var r in replyTo.Take(50))
        {
            summary.ReplyToAddresses.Add(r.Address);
        }

        summary.ReturnPath = message.ReturnPath;
        var returnPathDomain = Domain(DomainOfAddress(message.ReturnPath));
        summary.ReturnPathRegistrableDomain = Registrable(returnPathDomain);
        var senderDomain = Domain(message.Sender?.Domain);
        summary.SenderAddress = message.Sender?.Address;
        summary.SenderRegistrableDomain = Registrable(senderDomain);

        if (summary.FromRegistrableDomain is { } fromRegistrable)
        {
            foreach (var r in replyTo.Take(50))
            {
                var rd = Registrable(Domain(r.Domain));
                if (rd is not null && !string.Equals(rd, fromRegistrable, StringComparison.Ordinal))
                {
                    summary.ReplyToRegistrableDomain = rd;
                    result.Add("sender.reply-to-differs", $"Reply-To {r.Address} is under {rd}, From under {fromRegistrable}.");
                    break;
                }

                summary.ReplyToRegistrableDomain ??= rd;
            }

            if (summary.ReturnPathRegistrableDomain is { } rp && !string.Equals(rp, fromRegistrable, StringComparison.Ordinal))
            {
                result.Add("sender.return-path-differs", $"Return-Path {message.ReturnPath} is under {rp}, From under {fromRegistrable}.");
            }

            if (summary.SenderRegistrableDomain is { } sd && !string.Equals(sd, fromRegistrable, StringComparison.Ordinal))
            {
                result.Add("sender.sender-differs", $"Sender {summary.SenderAddress} is under {sd}, From under {fromRegistrable}.");
            }
        }

        if (from is not null)
        {
            CheckDisplayName(result, from, summary, settings);
        }

        CheckDomains(result, summary, settings, fromDomain, replyTo, returnPathDomain, senderDomain);
        CheckLists(result, summary, settings, from, replyTo, message.ReturnPath, message.Sender);
    }

    private static void CheckDisplayName(MessageAnalysis result, MailboxAddress from, SenderSummary summary, AnalysisSettings settings)
    {
        var name = from.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            return;
        }

        if (FindAddress(name) is { } shown && !string.Equals(shown, from.Address, StringComparison.OrdinalIgnoreCase))
        {
            result.Add("sender.display-name-address", $"The display name shows {shown} but the address is {from.Address}.");
        }

        if (!summary.IsInternal && ImpersonatedOrganization(name, settings) is { } what)
        {
            result.Add("sender.display-name-impersonation", $"The display name \"{Bound(name)}\" names the organisation ({what}) but the address {from.Address} is outside it.");
        }

        if (summary.IsFreeMail && BusinessWord(name) is { } word)
        {
            result.Add("sender.freemail-business-name", $"A free-mail address ({from.Address}) sends as \"{Bound(name)}\" (\"{word}\").");
        }
    }

    private static void CheckDomains(MessageAnalysis result, SenderSummary summary, AnalysisSettings settings, string? fromDomain, IReadOnlyList<MailboxAddress> replyTo, string? returnPathDomain, string? senderDomain)
    {
        var candidates = new List<(string Header, string Domain)>();
        if (fromDomain is not null)
        {
            candidates.Add(("From", fromDomain));
        }

        foreach (var r in replyTo.Take(10))
        {
            if (Domain(r.Domain) is { } d)
            {
                candidates.Add(("Reply-To", d));
            }
        }

        if (returnPathDomain is not null)
        {
            candidates.Add(("Return-Path", returnPathDomain));
        }

        if (senderDomain is not null)
        {
            candidates.Add(("Sender", senderDomain));
        }

        var punycodeReported = false;
        foreach (var (header, domain) in candidates)
        {
            if (!punycodeReported && DomainNames.IsInternationalized(domain))
            {
                punycodeReported = true;
                result.Add("sender.punycode-domain", $"{header} domain {domain} is internationalised ({DomainNames.ToUnicode(domain)}).");
            }

            if (summary.Lookalike is not null || IsOrganization(domain, settings) || IsFreeOrBrand(domain))
            {
                continue;
            }

            var match = Lookalikes.Find(domain, settings.OrganizationDomains) ?? Lookalikes.FindWellKnownBrand(domain);
            if (match is not null)
            {
                summary.Lookalike = match;
                result.Add("sender.lookalike-domain", $"{header} domain {domain}: {match}.");
            }
        }
    }

    private static void CheckLists(MessageAnalysis result, SenderSummary summary, AnalysisSettings settings, MailboxAddress? from, IReadOnlyList<MailboxAddress> replyTo, string? returnPath, MailboxAddress? sender)
    {
        var addresses = new List<(string Header, string Address)>();
        if (from is not null)
        {
            addresses.Add(("From", from.Address));
        }

        addresses.AddRange(replyTo.Take(10).Select(r => ("Reply-To", r.Address)));
        if (!string.IsNullOrEmpty(returnPath))
        {
            addresses.Add(("Return-Path", returnPath));
        }

        if (sender is not null)
        {
            addresses.Add(("Sender", sender.Address));
        }

        foreach (var (header, address) in addresses)
        {
            if (MatchList(address, settings.BlockedSenders) is { } entry)
            {
                summary.IsBlocked = true;
                result.Add("sender.blocked", $"{header} {address} matches the block list entry {entry}.");
                break;
            }
        }

        if (from is not null && MatchList(from.Address, settings.AllowedSenders) is { } allowed)
        {
            summary.IsAllowed = true;
            result.Add("sender.allowed", $"From {from.Address} matches the allow list entry {allowed} (From can be forged: check authentication).");
        }
    }

    /// <summary>
    /// The list entry an address matches, or null. An entry is a whole address ("a@b.example",
    /// case-blind), a domain ("b.example" or "@b.example": the domain and the names under it), or
    /// "*.b.example" (names under it).
    /// </summary>
    public static string? MatchList(string address, IReadOnlyList<string> entries)
    {
        var domain = DomainOfAddress(address);
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            if (entry.Contains('@', StringComparison.Ordinal) && !entry.StartsWith('@'))
            {
                if (string.Equals(entry, address, StringComparison.OrdinalIgnoreCase))
                {
                    return raw;
                }

                continue;
            }

            var d = entry.TrimStart('@');
            if (d.StartsWith("*.", StringComparison.Ordinal))
            {
                var parent = d[2..];
                if (domain is not null && DomainNames.IsSameOrSubdomain(domain, parent) && !string.Equals(DomainNames.Normalize(domain), DomainNames.Normalize(parent), StringComparison.Ordinal))
                {
                    return raw;
                }
            }
            else if (domain is not null && DomainNames.IsSameOrSubdomain(domain, d))
            {
                return raw;
            }
        }

        return null;
    }

    /// <summary>An address-like word in a display name ("it@contoso.com" in "it@contoso.com via Support"), or null.</summary>
    internal static string? FindAddress(string name)
    {
        var at = name.IndexOf('@', StringComparison.Ordinal);
        while (at > 0 && at < name.Length - 1)
        {
            var start = at;
            while (start > 0 && IsAddressChar(name[start - 1]))
            {
                start--;
            }

            var end = at + 1;
            while (end < name.Length && IsAddressChar(name[end]))
            {
                end++;
            }

            var candidate = name[start..end].Trim('.');
            var dot = candidate.LastIndexOf('.');
            var atIndex = candidate.IndexOf('@', StringComparison.Ordinal);
            if (atIndex > 0 && dot > atIndex + 1 && dot < candidate.Length - 1)
            {
                return candidate;
            }

            at = name.IndexOf('@', at + 1);
        }

        return null;
    }

    private static bool IsAddressChar(char c) => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '+' or '\'';

    private static string? ImpersonatedOrganization(string name, AnalysisSettings settings)
    {
        var nameSkeleton = Lookalikes.Skeleton(name);
        if (settings.OrganizationName is { Length: >= 3 } org)
        {
            if (name.Contains(org, StringComparison.OrdinalIgnoreCase) || nameSkeleton.Contains(Lookalikes.Skeleton(org), StringComparison.Ordinal))
            {
                return org;
            }
        }

        foreach (var domain in settings.OrganizationDomains)
        {
            if (domain.Length >= 4 && name.Contains(domain, StringComparison.OrdinalIgnoreCase))
            {
                return domain;
            }
        }

        return null;
    }

    private static string? BusinessWord(string name)
    {
        var lower = name.ToLowerInvariant();
        foreach (var word in BusinessWords)
        {
            var index = lower.IndexOf(word, StringComparison.Ordinal);
            while (index >= 0)
            {
                var end = index + word.Length;
                var before = index == 0 || !char.IsLetterOrDigit(lower[index - 1]);
                var after = end == lower.Length || !char.IsLetterOrDigit(lower[end]);
                if (before && after)
                {
                    return word;
                }

                index = lower.IndexOf(word, index + 1, StringComparison.Ordinal);
            }
        }

        return null;
    }

    private static bool IsOrganization(string domain, AnalysisSettings settings) => DomainNames.IsUnderAny(domain, settings.OrganizationDomains);

    private static bool IsFreeOrBrand(string domain) =>
        DomainNames.IsUnderAny(domain, FreeMailDomains) || DomainNames.IsUnderAny(domain, Lookalikes.WellKnownBrandDomains);

    private static string? Registrable(string? domain) => domain is null ? null : PublicSuffixList.Default.GetRegistrableDomain(domain) ?? domain;

    private static string? Domain(string? domain) => DomainNames.Normalize(domain);

    private static string? DomainOfAddress(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        var at = address.LastIndexOf('@');
        return at < 0 || at == address.Length - 1 ? null : address[(at + 1)..];
    }

    private static string Bound(string text) => text.Length <= 128 ? text : text[..128] + "…";
}
