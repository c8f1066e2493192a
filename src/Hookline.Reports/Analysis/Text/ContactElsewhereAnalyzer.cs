using System.Text.RegularExpressions;
using Hookline.Reports.Analysis.Domains;
using Hookline.Reports.Analysis.Senders;

namespace Hookline.Reports.Analysis.Text;

/// <summary>
/// <c>text.contact-elsewhere</c>: the visible text asks the reader to write to a free-mail address that
/// is not the sender's ("e-mail me at …@gmail.com", "my private email is …"). Advance-fee, romance,
/// job and BEC scams move the conversation to a mailbox the sending infrastructure does not reveal;
/// a company's mail points to its own domain. An address counts only after a request to write to it,
/// in one of the lexicon's languages, shortly before it: a quoted header ("From: … &lt;x@gmail.com&gt;")
/// or a signature's contact line is not a request. Runs after <see cref="MessageTextReader"/> and
/// <see cref="SenderAnalyzer"/>.
/// </summary>
public sealed partial class ContactElsewhereAnalyzer : IMessageAnalyzer
{
    /// <summary>How far before an address (in characters of folded text) a request to write may stand.</summary>
    private const int Window = 48;

    /// <summary>Addresses looked at per message at most (a list of thousands is no request to one).</summary>
    private const int MaxAddresses = 64;

    /// <summary>
    /// Requests to write, in folded text (lower case, accents removed), in English, Portuguese, Spanish,
    /// German, French, Italian, Dutch and Japanese.
    /// </summary>
    private static readonly string[] Requests =
    [
        "email me", "e-mail me", "mail me", "write me", "write to me", "contact me", "reach me", "reply to me", "respond to me",
        "get back to me", "send it to", "send them to", "send me", "my private email", "my personal email", "my private e-mail",
        "my personal e-mail", "my email is", "my e-mail is", "my email address", "my e-mail address", "my direct email",
        "me escreva", "escreva-me", "escreva para", "meu email", "meu e-mail", "entre em contato",
        "escribeme", "escribame", "escribir a", "mi correo", "contactame", "contacteme",
        "schreib mir", "schreiben sie mir", "schreiben sie an", "meine e-mail", "meine email", "kontaktieren sie mich",
        "ecris-moi", "ecrivez-moi", "ecrivez a", "mon email", "mon e-mail", "mon adresse", "contactez-moi",
        "scrivimi", "scrivetemi", "scrivi a", "la mia email", "la mia e-mail", "contattami", "contattatemi",
        "mail mij", "schrijf me", "schrijf mij", "mijn e-mail", "mijn email", "neem contact op",
        "メールください", "連絡ください", "までご連絡",
    ];

    public void Analyze(AnalysisContext context)
    {
        var result = context.Result;
        if (result.Text is not { Body.Length: > 0 } text)
        {
            return;
        }

        try
        {
            Find(result, text.Body);
        }
        catch (RegexMatchTimeoutException)
        {
            // A body built to stall the address pattern is given up on; the other stages still judge it.
        }
    }

    private static void Find(MessageAnalysis result, string body)
    {
        var sender = result.Sender;
        var seen = 0;
        foreach (Match match in Address().Matches(body))
        {
            if (++seen > MaxAddresses)
            {
                return;
            }

            var address = match.Value;
            var at = address.LastIndexOf('@');
            var registrable = DomainNames.RegistrableDomain(address[(at + 1)..]);
            if (registrable is null || !SenderAnalyzer.FreeMailDomains.Contains(registrable, StringComparer.Ordinal)
                || string.Equals(address, sender.FromAddress, StringComparison.OrdinalIgnoreCase)
                || sender.ReplyToAddresses.Contains(address, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (RequestBefore(body, match.Index) is { } request)
            {
                result.Add("text.contact-elsewhere", $"\"{request}\" {address}, a free-mail address that is not the sender's ({sender.FromAddress ?? "no From address"})");
                return;
            }
        }
    }

    /// <summary>The request to write that stands in the <see cref="Window"/> before <paramref name="index"/>, or null.</summary>
    internal static string? RequestBefore(string body, int index)
    {
        var start = Math.Max(0, index - Window);
        var before = body.AsSpan(start, index - start);
        foreach (var request in Requests)
        {
            if (before.Contains(request, StringComparison.Ordinal))
            {
                return request;
            }
        }

        return null;
    }

    [GeneratedRegex(@"[a-z0-9][a-z0-9._%+-]{0,63}@(?:[a-z0-9-]{1,63}\.){1,8}[a-z]{2,24}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Address();
}
