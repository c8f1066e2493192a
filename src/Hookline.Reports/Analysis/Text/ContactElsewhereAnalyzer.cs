using System.Buffers;
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
public sealed class ContactElsewhereAnalyzer : IMessageAnalyzer
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
        "get back to me", "reply me", "answer me", "email to", "e-mail to", "my email for", "my e-mail for", "send it to", "send them to", "send me", "my private email", "my personal email", "my private e-mail",
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

        Find(result, text.Body);
    }

    private static void Find(MessageAnalysis result, string body)
    {
        var sender = result.Sender;
        var seen = 0;
        foreach (var (index, address) in Addresses(body))
        {
            if (++seen > MaxAddresses)
            {
                return;
            }

            var at = address.LastIndexOf('@');
            var registrable = DomainNames.RegistrableDomain(address[(at + 1)..]);
            if (registrable is null || !SenderAnalyzer.FreeMailDomains.Contains(registrable, StringComparer.Ordinal)
                || string.Equals(address, sender.FromAddress, StringComparison.OrdinalIgnoreCase)
                || sender.ReplyToAddresses.Contains(address, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (RequestBefore(body, index) is { } request)
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

    /// <summary>
    /// The e-mail addresses written in folded (lower-case) text, each with where it starts: found from
    /// each <c>@</c> outwards, so the cost is one pass over the text whatever it holds (a pattern tried
    /// at every letter backtracks over long words). A local part of up to 64 characters that starts
    /// with a letter or digit; a domain of 2 to 9 labels whose last is 2 to 24 letters.
    /// </summary>
    internal static IEnumerable<(int Index, string Address)> Addresses(string text)
    {
        var from = 0;
        int at;
        while (from < text.Length && (at = text.IndexOf('@', from)) >= 0)
        {
            from = at + 1;
            var start = at;
            while (start > 0 && at - start < 64 && LocalChars.Contains(text[start - 1]))
            {
                start--;
            }

            while (start < at && !char.IsAsciiLetterOrDigit(text[start]))
            {
                start++;
            }

            var end = at + 1;
            while (end < text.Length && end - at <= 255 && DomainChars.Contains(text[end]))
            {
                end++;
            }

            if (start < at && Domain(text.AsSpan(at + 1, end - at - 1)) is var length and > 0)
            {
                from = at + 1 + length;
                yield return (start, text.Substring(start, from - start));
            }
        }
    }

    /// <summary>The length of the longest domain (labels of 1–63 letters, digits and hyphens, 2 to 9 of them, the last 2–24 letters) at the start of <paramref name="run"/>; 0 when there is none.</summary>
    private static int Domain(ReadOnlySpan<char> run)
    {
        var best = 0;
        var labels = 0;
        var position = 0;
        while (position < run.Length && labels < 9)
        {
            var dot = run[position..].IndexOf('.');
            var label = dot < 0 ? run[position..] : run.Slice(position, dot);
            if (label.Length is 0 or > 63)
            {
                break;
            }

            labels++;
            if (labels >= 2)
            {
                var letters = 0;
                while (letters < label.Length && char.IsAsciiLetterLower(label[letters]) && letters < 24)
                {
                    letters++;
                }

                if (letters >= 2)
                {
                    best = position + letters;
                }
            }

            if (dot < 0)
            {
                break;
            }

            position += dot + 1;
        }

        return best;
    }

    private static readonly SearchValues<char> LocalChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789._%+-");

    private static readonly SearchValues<char> DomainChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789.-");
}
