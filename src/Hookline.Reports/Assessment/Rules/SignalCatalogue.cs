namespace Hookline.Reports.Assessment;

/// <summary>
/// The signals the analyzers are known to produce (and the few the assessor derives). A rule that
/// refers to a signal outside this list (and outside the rule files' own <c>signals:</c>) loads with a
/// warning: it is most likely a typo. Keep in step with the analyzers (grep <c>.Add("</c> in
/// src/Hookline.Reports/Analysis).
/// </summary>
public static class SignalCatalogue
{
    public static IReadOnlyList<string> Known { get; } =
    [
        // Authentication (only results from trusted authserv-ids count).
        "auth.none",
        "auth.spf.fail",
        "auth.spf.softfail",
        "auth.spf.neutral",
        "auth.spf.none",
        "auth.spf.permerror",
        "auth.spf.temperror",
        "auth.dkim.fail",
        "auth.dkim.none",
        "auth.dkim.neutral",
        "auth.dkim.policy",
        "auth.dkim.permerror",
        "auth.dkim.temperror",
        "auth.dmarc.fail",
        "auth.dmarc.none",
        "auth.dmarc.permerror",
        "auth.dmarc.temperror",
        "auth.compauth.fail",
        "auth.compauth.softfail",
        "auth.compauth.none",
        "auth.forefront.phish",
        "auth.forefront.spoof",
        "auth.forefront.impersonation",
        "auth.forefront.spam",
        "auth.forefront.bulk",
        "auth.forefront.malware",
        "auth.forefront.blocked",
        "auth.forefront.filter-skipped",
        "auth.scl.high",
        "auth.bcl.high",
        "auth.untrusted-results-present",
        "auth.untrusted-results-conflict",

        // Derived by the assessor from the trusted authentication summary when no analyzer wrote them.
        "auth.spf.pass",
        "auth.dkim.pass",
        "auth.dmarc.pass",
        "auth.compauth.pass",

        // Relay path.
        "relay.private-ip-origin",
        "relay.date-out-of-order",
        "relay.long-delay",
        "relay.hop-count-high",
        "relay.origin-country",

        // Senders.
        "sender.from-missing",
        "sender.multiple-from",
        "sender.sender-differs",
        "sender.freemail-business-name",
        "sender.reply-to-differs",
        "sender.return-path-differs",
        "sender.display-name-address",
        "sender.display-name-impersonation",
        "sender.lookalike-domain",
        "sender.punycode-domain",
        "sender.blocked",
        "sender.allowed",

        // URLs.
        "url.text-mismatch",
        "url.ip-literal",
        "url.punycode",
        "url.shortener",
        "url.credential-form",
        "url.meta-refresh",
        "url.userinfo",
        "url.blocked-host",
        "url.data-uri",
        "url.defanged",
        "url.javascript",
        "url.many",
        "url.nonstandard-port",
        "url.truncated",
        "url.wrapped",
        "url.wrapped-opaque",

        // QR codes (QrCodeScanner): the link a code leads to, and the search's own limits.
        "url.qr-code",
        "url.qr-code-login",
        "url.qr-code-offsite",
        "url.qr-budget",
        "url.qr-unreadable",

        // Attachments.
        "attachment.type-mismatch",
        "attachment.double-extension",
        "attachment.executable",
        "attachment.script",
        "attachment.macro",
        "attachment.archive-executable",
        "attachment.archive-encrypted",
        "attachment.archive-bomb",
        "attachment.pdf-javascript",
        "attachment.html-credential-form",
        "attachment.html-smuggling",
        "attachment.html",
        "attachment.html-redirect",
        "attachment.html-obfuscated",
        "attachment.disk-image",
        "attachment.archive-damaged",
        "attachment.ole-package",
        "attachment.pdf-open-action",
        "attachment.pdf-launch",
        "attachment.pdf-embedded-file",
        "attachment.pdf-form",
        "attachment.pdf-submit-form",
        "attachment.pdf-uri",
        "attachment.pdf-obfuscated",
        "attachment.pdf-password",
        "attachment.archive-nested",
        "html.script",
        "html.too-large",
        "html.too-deep",

        // Limits the parser and the analysis ran into (Structure/, and the attachment stage for attached messages).
        "structure.part-limit",
        "structure.depth-limit",
        "structure.decode-limit",
        "structure.message-depth-limit",
        "attachment.beyond-limit",

        // Content markers (ContentSignalAnalyzer, a scoring aid of the assessment).
        "content.bulk",
        "content.list-unsubscribe",
        "content.no-recipient",
        "content.subject-shouting",
        "content.html-only",
        "content.spam-phrase",
        "content.removal-notice",
        "content.subject-tag",
        "content.hash-buster",
        "content.date-implausible",
        "content.body-shouting",
        "content.recipient-in-subject",

        // Sender and link infrastructure (InfrastructureAnalyzer).
        "sender.freemail",
        "sender.reply-to-freemail",
        "sender.invalid-domain",
        "sender.cloud-tenant",
        "sender.abused-tld",
        "sender.random-name",
        "sender.from-malformed",
        "url.free-hosting",
        "url.abused-tld",
        "url.login-path",
        "url.recipient-in-link",

        // A message that forwards another in its body (InlineForwardAnalyzer).
        "message.inline-forward",

        // Brands (BrandAnalyzer, Analysis/Brands/brands.txt).
        "brand.display-name",
        "brand.subject",
        "brand.body",
        "brand.sender-domain",
        "brand.link-host",
        "brand.authenticated",
        "brand.spoofed",

        // The text as a reader sees it (MessageTextReader) and its intent (IntentAnalyzer, Analysis/Text/lures.txt).
        "text.hidden",
        "text.invisible-characters",
        "text.styled-letters",
        "text.disguised-subject",
        "text.mixed-script",
        "text.image-only",
        "intent.credential",
        "intent.payment",
        "intent.parcel",
        "intent.prize",
        "intent.advance-fee",
        "intent.extortion",
        "intent.legal",
        "intent.bec",
        "intent.callback",
        "intent.crypto",
        "intent.urgency",
        "intent.adult",
        "intent.romance",
        "intent.pharma",
        "intent.health",
        "intent.casino",
        "intent.money",
        "intent.marketing",
        "intent.goods",
        "text.contact-elsewhere",
        "text.disguised-lure",
    ];

    /// <summary>Is <paramref name="match"/> known, or (for a prefix, <paramref name="isPrefix"/>) does any known signal start with it.</summary>
    internal static bool Covers(HashSet<string> known, string match, bool isPrefix)
    {
        if (!isPrefix)
        {
            return known.Contains(match);
        }

        foreach (var signal in known)
        {
            if (signal.StartsWith(match, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The known signal nearest to a probable typo (edit distance at most 3), or null.</summary>
    internal static string? Nearest(HashSet<string> known, string signal)
    {
        string? best = null;
        var bestDistance = 4;
        foreach (var candidate in known)
        {
            var distance = Distance(signal, candidate);
            if (distance < bestDistance || (distance == bestDistance && best is not null && string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= 3 ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
