using Hookline.Mime.Addresses;
using Hookline.Reports.Analysis.Domains;
using Hookline.Reports.Analysis.Urls;

namespace Hookline.Reports.Analysis.Senders;

/// <summary>
/// Where the message and its links come from, as infrastructure: throw-away and impossible sender
/// domains, top-level domains that abuse reports are dominated by, random-looking names, free-mail
/// Reply-To, links to free hosting and subdomain platforms, sign-in paths on unrelated hosts, and the
/// recipient's own address written into the subject or a link (mass personalisation). Signals:
/// <c>sender.freemail</c>, <c>sender.reply-to-freemail</c>, <c>sender.invalid-domain</c>, <c>sender.cloud-tenant</c>,
/// <c>sender.abused-tld</c>, <c>sender.random-name</c>, <c>url.free-hosting</c>,
/// <c>url.abused-tld</c>, <c>url.login-path</c>, <c>content.recipient-in-subject</c>,
/// <c>url.recipient-in-link</c>. Runs after the sender and URL stages.
/// </summary>
public sealed class InfrastructureAnalyzer : IMessageAnalyzer
{
    /// <summary>
    /// Top-level domains whose registrations are cheap and which dominate published abuse statistics
    /// (Spamhaus, Interisle, APWG): a weak signal on its own, a multiplier beside a lure.
    /// </summary>
    public static IReadOnlySet<string> AbusedTopLevelDomains { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "xyz", "top", "click", "online", "site", "icu", "buzz", "live", "rest", "cfd", "sbs", "bond", "quest", "monster",
        "cyou", "lol", "mom", "beauty", "hair", "skin", "autos", "boats", "yachts", "makeup", "pics", "tk", "ml", "ga", "cf",
        "gq", "bar", "surf", "uno", "vip", "win", "bid", "loan", "date", "racing", "review", "stream", "download", "men",
        "party", "trade", "science", "accountant", "faith", "cricket", "gdn", "kim", "cam", "su", "zip", "mov", "country",
        "casa", "work",
    };

    /// <summary>
    /// The default domains cloud mail services give every new tenant (<c>name.onmicrosoft.com</c>): not
    /// the provider's own mail, and not a domain anyone had to register.
    /// </summary>
    public static IReadOnlyList<string> TenantDomains { get; } = ["onmicrosoft.com"];

    /// <summary>Platforms where anyone gets a subdomain or a page for free (registrable domains and hosts).</summary>
    public static IReadOnlyList<string> FreeHosting { get; } =
    [
        "firebaseapp.com", "web.app", "pages.dev", "workers.dev", "r2.dev", "github.io", "gitlab.io", "netlify.app", "vercel.app",
        "herokuapp.com", "glitch.me", "repl.co", "replit.app", "onrender.com", "surge.sh", "fly.dev", "azurewebsites.net",
        "amplifyapp.com", "000webhostapp.com", "weebly.com", "wixsite.com", "wix.com", "webflow.io", "square.site", "godaddysites.com",
        "blogspot.com", "wordpress.com", "sites.google.com", "storage.googleapis.com", "firebasestorage.googleapis.com",
        "blob.core.windows.net", "web.core.windows.net", "s3.amazonaws.com", "ipfs.io", "dweb.link", "cloudflare-ipfs.com",
        "fleek.co", "on.fleek.co", "typedream.app", "carrd.co", "notion.site", "framer.app", "framer.website", "webcindario.com",
        "jimdosite.com", "yolasite.com", "strikingly.com", "mystrikingly.com", "tilda.ws", "ukit.me", "ngrok.io", "ngrok-free.app",
        "trycloudflare.com", "codesandbox.io", "csb.app", "glideapp.io", "backendless.app", "ddns.net", "duckdns.org", "no-ip.org",
        "hopto.org", "zapto.org", "serveo.net", "forms.gle", "jotform.com", "typeform.com", "formstack.com", "wufoo.com",
        "123formbuilder.com", "form.jotform.com", "mailchi.mp", "linktr.ee", "bit.ly", "t.ly", "tinyurl.com", "is.gd", "cutt.ly",
        "rebrand.ly", "rb.gy", "shorturl.at", "ow.ly", "buff.ly", "s.id", "t.co", "goo.gl", "qrco.de", "telegra.ph", "archive.org",
        "dropboxusercontent.com", "mediafire.com", "mega.nz", "wetransfer.com", "we.tl", "filetransfer.io", "gofile.io", "anonfiles.com",
        "canva.site", "my.canva.site", "docs.google.com", "drive.google.com", "1drv.ms", "sway.office.com", "forms.office.com", "clickfunnels.com",
        "surl.li", "shrtco.de", "cutt.us", "gg.gg", "tiny.one", "t2m.io", "l.ead.me", "lovable.app", "tiiny.site", "start.page", "weeblysite.com",
        "wixstudio.io", "gamma.site", "heyzine.com", "flipsnack.com", "hubspotpagebuilder.com", "express.adobe.com", "firebasestorage.app",
        "bubbleapps.io", "glide.page", "softr.app", "webnode.page", "site123.me", "digitaloceanspaces.com",
        "script.google.com", "translate.goog", "gitbook.io", "forms.cloud.microsoft", "sway.cloud.microsoft", "nftstorage.link",
        "w3s.link", "4everland.app", "backblazeb2.com", "wasabisys.com", "linodeobjects.com", "loca.lt", "systeme.io",
        "myportfolio.com", "hs-sites.com",
    ];

    private static readonly DomainSet<bool> FreeHostingSet = new(FreeHosting.Select(d => (d, true)));

    private static readonly string[] LoginWords =
    [
        "login", "log-in", "signin", "sign-in", "logon", "verify", "verification", "validate", "password",
        "wp-admin", "wp-content", "wp-includes", "webmail", "/owa", "office365", "unlock", "recover",
    ];

    private static readonly string[] UnsubscribeWords = ["unsubscribe", "optout", "opt-out", "preferences", "manage", "subscription", "profile", "remove"];

    public void Analyze(AnalysisContext context)
    {
        var message = context.Message;
        var result = context.Result;
        var sender = result.Sender;
        var psl = PublicSuffixList.Default;
        var settings = context.Settings;

        if (sender.IsFreeMail)
        {
            result.Add("sender.freemail", $"{sender.FromAddress} is a free-mail address");
        }

        foreach (var replyTo in sender.ReplyToAddresses)
        {
            var domain = DomainOf(replyTo);
            var registrable = domain is null ? null : psl.GetRegistrableDomain(domain) ?? domain;
            if (registrable is not null && SenderAnalyzer.FreeMailDomains.Contains(registrable, StringComparer.Ordinal) && !string.Equals(registrable, sender.FromRegistrableDomain, StringComparison.Ordinal))
            {
                result.Add("sender.reply-to-freemail", $"replies go to the free-mail address {replyTo}, not to {sender.FromAddress ?? "the sender"}");
                break;
            }
        }

        if (sender.FromDomain is { } fromDomain && !sender.IsInternal)
        {
            if (InvalidDomain(fromDomain, psl) is { } why)
            {
                result.Add("sender.invalid-domain", $"the sender's domain {fromDomain} {why}");
            }
            else if (AbusedTopLevelDomains.Contains(TopLevel(fromDomain)))
            {
                result.Add("sender.abused-tld", $"the sender's domain {fromDomain} is under .{TopLevel(fromDomain)}, a top-level domain dominated by abuse");
            }

            if (TenantDomains.FirstOrDefault(t => fromDomain.EndsWith("." + t, StringComparison.Ordinal)) is { } tenant)
            {
                result.Add("sender.cloud-tenant", $"the sender's domain {fromDomain} is the default name of a cloud mail tenant (.{tenant}), which anyone gets with a trial, not an organisation's own domain");
            }

            var local = LocalPart(sender.FromAddress);
            if (RandomLooking(local) || RandomLooking(Label(sender.FromRegistrableDomain)) || fromDomain.Count(c => c == '.') >= 5)
            {
                result.Add("sender.random-name", $"the sender's address {sender.FromAddress} looks machine-made (random letters and digits, or many labels)");
            }
        }

        var fromRegistrable = sender.FromRegistrableDomain;
        string? freeHost = null, abusedHost = null, loginUrl = null, personalised = null;
        var recipient = Recipient(message);
        foreach (var url in result.Urls)
        {
            if (url.Host is not { } host || url.Flags.HasFlag(UrlFlags.IpLiteral) || DomainNames.IsUnderAny(host, settings.OrganizationDomains))
            {
                continue;
            }

            var registrable = psl.GetRegistrableDomain(host) ?? host;
            var related = fromRegistrable is not null && string.Equals(registrable, fromRegistrable, StringComparison.Ordinal);
            if (freeHost is null && url.Source != UrlSource.TrackingPixel && (FreeHostingSet.Contains(host) || (psl.IsPrivateSuffix(host) && !related)))
            {
                freeHost = host;
            }

            if (abusedHost is null && !related && AbusedTopLevelDomains.Contains(TopLevel(host)))
            {
                abusedHost = host;
            }

            var target = url.Unwrapped ?? url.Url;
            var path = PathOf(target);
            if (loginUrl is null && !related && path.Length > 1 && ContainsAny(path, LoginWords))
            {
                loginUrl = target;
            }

            if (personalised is null && recipient is not null && target.Contains(recipient, StringComparison.OrdinalIgnoreCase) && !ContainsAny(target, UnsubscribeWords))
            {
                personalised = target;
            }
        }

        if (freeHost is not null)
        {
            result.Add("url.free-hosting", $"a link goes to {freeHost}, on a platform where anyone gets a page or a short link for free");
        }

        if (abusedHost is not null)
        {
            result.Add("url.abused-tld", $"a link goes to {abusedHost}, under .{TopLevel(abusedHost)}, a top-level domain dominated by abuse");
        }

        if (loginUrl is not null)
        {
            result.Add("url.login-path", $"a link to a sign-in or verification path on a host unrelated to the sender: {Bound(loginUrl)}");
        }

        if (personalised is not null)
        {
            result.Add("url.recipient-in-link", $"a link carries the recipient's address {recipient}: {Bound(personalised)}");
        }

        if (recipient is not null && message.Subject is { } subject && subject.Contains(recipient, StringComparison.OrdinalIgnoreCase))
        {
            result.Add("content.recipient-in-subject", $"the subject writes out the recipient's address {recipient}");
        }
        else if (recipient is not null && sender.FromName is { } name && name.Contains(recipient, StringComparison.OrdinalIgnoreCase))
        {
            result.Add("content.recipient-in-subject", $"the sender's name writes out the recipient's address {recipient}");
        }
    }

    /// <summary>
    /// Why a sender domain cannot be real, or null. The names RFC 2606 and RFC 6761 reserve for
    /// documentation and tests (.example, .test, .invalid, .localhost, example.com) are left alone:
    /// no mail from the internet can come from them, and every test and demo of mail uses them.
    /// </summary>
    internal static string? InvalidDomain(string domain, PublicSuffixList psl)
    {
        var tld = TopLevel(domain);
        if (tld is "example" or "test" or "invalid" or "localhost" || domain is "example.com" or "example.org" or "example.net" || domain.EndsWith(".example.com", StringComparison.Ordinal))
        {
            return null;
        }

        if (!domain.Contains('.', StringComparison.Ordinal))
        {
            return "has no dot (not a domain on the internet)";
        }

        if (domain.Contains('_', StringComparison.Ordinal))
        {
            return "has an underscore (not a host name)";
        }

        if (NotHostCharacter(domain) is { } odd)
        {
            return $"has the character '{odd}', which no host name has";
        }

        if (domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal)
            || domain.Contains(".-", StringComparison.Ordinal) || domain.Contains("-.", StringComparison.Ordinal) || domain.StartsWith('-'))
        {
            return "has an empty label or one that starts or ends with a hyphen (not a host name)";
        }

        if (tld is "local" or "localdomain" or "lan" or "internal" or "home" or "corp")
        {
            return $"ends in .{tld}, a private name no one on the internet can send from";
        }

        if (!psl.HasKnownTopLevel(domain))
        {
            return $"ends in .{tld}, which is no top-level domain";
        }

        return null;
    }

    /// <summary>
    /// The first character no host name can hold (RFC 1123: letters, digits, hyphens and dots; letters of
    /// other scripts stand for an internationalised name), or null.
    /// </summary>
    private static char? NotHostCharacter(string domain)
    {
        foreach (var c in domain)
        {
            if (!char.IsLetterOrDigit(c) && c is not ('-' or '.'))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>
    /// A name that reads as generated: long runs of consonants, or letters and digits mixed through
    /// the name (not just a number at the end, as people write "anna1987").
    /// </summary>
    internal static bool RandomLooking(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length < 8)
        {
            return false;
        }

        int consonantRun = 0, maxRun = 0, switches = 0, digits = 0;
        var previousDigit = char.IsDigit(name[0]);
        foreach (var c in name.ToLowerInvariant())
        {
            var digit = char.IsDigit(c);
            digits += digit ? 1 : 0;
            if (digit != previousDigit && char.IsLetterOrDigit(c))
            {
                switches++;
            }

            previousDigit = digit;
            if (c is >= 'a' and <= 'z' && "aeiouy".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                consonantRun++;
                maxRun = Math.Max(maxRun, consonantRun);
            }
            else
            {
                consonantRun = 0;
            }
        }

        return maxRun >= 6 || switches >= 4 || (digits >= 6 && digits < name.Length - 2);
    }

    private static string? Recipient(Hookline.Mime.MimeMessage message)
    {
        foreach (var mailbox in AddressParser.Flatten(message.To))
        {
            if (mailbox.Address.Contains('@', StringComparison.Ordinal) && mailbox.Address.Length >= 6)
            {
                return mailbox.Address;
            }
        }

        return null;
    }

    private static string TopLevel(string domain)
    {
        var dot = domain.LastIndexOf('.');
        return dot < 0 ? domain : domain[(dot + 1)..];
    }

    private static string? Label(string? registrable)
    {
        if (registrable is null)
        {
            return null;
        }

        var dot = registrable.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? registrable : registrable[..dot];
    }

    private static string? LocalPart(string? address)
    {
        var at = address?.LastIndexOf('@') ?? -1;
        return at <= 0 ? null : address![..at];
    }

    private static string? DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? null : DomainNames.Normalize(address[(at + 1)..]);
    }

    private static string PathOf(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return string.Empty;
        }

        var slash = url.IndexOf('/', scheme + 3);
        return slash < 0 ? string.Empty : url[slash..].ToLowerInvariant();
    }

    private static bool ContainsAny(string text, string[] words)
    {
        foreach (var word in words)
        {
            if (text.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string Bound(string text) => text.Length <= 160 ? text : text[..160] + "…";
}
