using Hookline.Reports.Analysis.Domains;
using Hookline.Reports.Analysis.Text;

namespace Hookline.Reports.Analysis.Brands;

/// <summary>
/// Impersonation of the brands in <see cref="BrandCatalogue"/>: a brand named where a reader looks
/// (display name, subject, body with title, alt and link texts, attachment names) or hidden in a
/// domain, against a sender that is not the brand's. A free-mail domain never counts as a brand's own
/// (anyone can have an outlook.com address). Signals:
/// <c>brand.display-name</c>, <c>brand.subject</c>, <c>brand.body</c>, <c>brand.sender-domain</c> (the
/// brand's name inside the From domain), <c>brand.link-host</c> (inside a link's host);
/// <c>brand.authenticated</c> (the From domain is the brand's or the organisation's and its trusted
/// DMARC passed: the basis of trust) and <c>brand.spoofed</c> (it is, and DMARC or composite
/// authentication failed: a forged brand). Runs after the sender, URL and text stages.
/// </summary>
public sealed class BrandAnalyzer : IMessageAnalyzer
{
    public void Analyze(AnalysisContext context)
    {
        var result = context.Result;
        var sender = result.Sender;
        var catalogue = BrandCatalogue.Default;
        var fromDomain = sender.FromDomain;
        var freeMail = sender.IsFreeMail;
        var dmarc = result.Authentication.Dmarc;
        var compauth = result.Authentication.Compauth;
        // The results vouch for the From domain only when the domain they evaluated (DMARC's header.from) is that
        // domain: a message whose From was changed after it was authenticated carries another domain's pass.
        var aligned = AuthenticatesFrom(result.Authentication.DmarcFrom, fromDomain);
        var passed = aligned && (Is(dmarc, "pass") || Is(compauth, "pass"));
        var failed = aligned && (Is(dmarc, "fail") || Is(compauth, "fail"));

        var ownBrand = fromDomain is not null && !freeMail ? catalogue.Owner(fromDomain) : -1;

        var organization = fromDomain is not null && sender.IsInternal;
        if (ownBrand >= 0 || organization)
        {
            var who = organization ? "the organisation's own domain" : catalogue.Brands[ownBrand].Name + "'s own domain";
            if (passed && !failed)
            {
                result.Add("brand.authenticated", $"{fromDomain} is {who} and its authentication passed (DMARC {dmarc ?? "-"}, compauth {compauth ?? "-"})");
            }
            else if (failed)
            {
                result.Add("brand.spoofed", $"From claims {fromDomain}, {who}, but authentication failed (DMARC {dmarc ?? "-"}, compauth {compauth ?? "-"}): forged");
            }
        }

        if (result.Text is not { } text)
        {
            return;
        }

        bool NotTheBrands(int brand) => brand != ownBrand && !(organization && passed);
        var address = sender.FromAddress ?? "(no address)";

        // The display name as a reader takes it: look-alike letters read as the letters they imitate ("Trust WaIIet").
        var named = FirstBrand(catalogue, text.DisplayName, headers: true);
        var readName = (sender.FromName ?? text.DisplayName) is { Length: > 0 } rawName ? AsRead(rawName) : string.Empty;
        if (named < 0 && readName.Length > 0)
        {
            named = FirstBrand(catalogue, readName, headers: true);
        }

        if (named < 0 && text.DisplayName.Length > 0)
        {
            named = catalogue.ExactDisplayName(text.DisplayName);
        }

        if (named < 0 && readName.Length > 0)
        {
            named = catalogue.ExactDisplayName(readName);
        }

        if (named >= 0 && NotTheBrands(named))
        {
            result.Add("brand.display-name", $"the sender's name \"{Bound(sender.FromName ?? text.DisplayName)}\" names {catalogue.Brands[named].Name}, but {address} is not {catalogue.Brands[named].Name}'s{(freeMail ? " (a free-mail address)" : string.Empty)}");
        }

        var inSubject = FirstBrand(catalogue, text.Subject, headers: true);
        if (inSubject < 0 && context.Message.Subject is { Length: > 0 } rawSubject)
        {
            inSubject = FirstBrand(catalogue, AsRead(rawSubject), headers: true);
        }
        if (inSubject >= 0 && NotTheBrands(inSubject))
        {
            result.Add("brand.subject", $"the subject names {catalogue.Brands[inSubject].Name}, but {address} is not {catalogue.Brands[inSubject].Name}'s");
        }

        var inBody = FirstBrand(catalogue, text.Body, headers: false);
        if (inBody >= 0 && NotTheBrands(inBody))
        {
            result.Add("brand.body", $"the text names {catalogue.Brands[inBody].Name}, but {address} is not {catalogue.Brands[inBody].Name}'s");
        }

        if (fromDomain is not null && !organization && catalogue.TokenIn(fromDomain) is var token and >= 0 && token != ownBrand)
        {
            result.Add("brand.sender-domain", $"the sender's domain {fromDomain} carries the name of {catalogue.Brands[token].Name} but is not {catalogue.Brands[token].Name}'s");
        }

        foreach (var url in result.Urls)
        {
            if (url.Host is { } host && !DomainNames.IsUnderAny(host, context.Settings.OrganizationDomains) && catalogue.TokenIn(host) is var linkBrand and >= 0)
            {
                result.Add("brand.link-host", $"a link goes to {host}, which carries the name of {catalogue.Brands[linkBrand].Name} but is not {catalogue.Brands[linkBrand].Name}'s");
                break;
            }
        }
    }

    /// <summary>
    /// A name or subject as a reader takes it: look-alike letters read as the letters they imitate
    /// ("PayPaI", "Iedger", a Cyrillic а), folded for the catalogue.
    /// </summary>
    private static string AsRead(string raw) => TextFolding.Fold(Lookalikes.Skeleton(raw.Replace('I', 'l')), 1024);

    private static int FirstBrand(BrandCatalogue catalogue, string folded, bool headers)
    {
        if (folded.Length == 0)
        {
            return -1;
        }

        var hits = new List<LexiconHit>();
        catalogue.Anywhere.Find(folded, hits, maxHits: 1);
        if (hits.Count > 0)
        {
            return hits[0].Family;
        }

        if (headers)
        {
            catalogue.HeadersOnly.Find(folded, hits, maxHits: 1);
        }

        return hits.Count > 0 ? hits[0].Family : -1;
    }

    /// <summary>Do results about <paramref name="evaluated"/> (DMARC's header.from; null when not stated) speak for <paramref name="fromDomain"/>?</summary>
    internal static bool AuthenticatesFrom(string? evaluated, string? fromDomain) =>
        string.IsNullOrEmpty(evaluated) || fromDomain is null
        || DomainNames.IsSameOrSubdomain(fromDomain, evaluated) || DomainNames.IsSameOrSubdomain(evaluated, fromDomain);

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private static string Bound(string? text) => text is null ? string.Empty : text.Length <= 100 ? text : text[..100] + "…";
}
