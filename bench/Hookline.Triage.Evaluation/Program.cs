using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

// The triage evaluation's two steps (scripts/eval-triage.sh runs them around `hookline analyze --json`):
//   wrap IN_DIR OUT_DIR delivered|inbox   every file below IN_DIR, wrapped in a report envelope, into OUT_DIR
//   tally LABEL FILE.jsonl [--misses N]   the confusion row of one analysed folder (and its most frequent rules)
// The corpora are read at evaluation time and never copied into the repository.
return args switch
{
    ["wrap", var input, var output, var variant] => Evaluation.Wrap(input, output, variant),
    ["tally", var label, var jsonl, ..] => Evaluation.Tally(label, jsonl, args.Length >= 5 && args[3] == "--rules" ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0),
    ["header"] => Evaluation.Header(),
    _ => Evaluation.Usage(),
};

internal static partial class Evaluation
{
    /// <summary>The reporting user the envelopes are sent on behalf of; it also replaces the honeypot's anonymised address.</summary>
    private const string ReporterAddress = "avery.adams@contoso.com";

    private const string HoneypotAddress = "phishing@pot";

    public static int Usage()
    {
        Console.Error.WriteLine("usage: wrap IN_DIR OUT_DIR delivered|inbox | tally LABEL FILE.jsonl [--rules N] | header");
        return 2;
    }

    /// <summary>
    /// Wraps each message in one of three envelopes, in turn: Microsoft's Report button (subject
    /// prefix, the "I think this email is malicious." body, the original as message/rfc822), a
    /// third-party button (subject prefix, the original as a base64 .eml), and a user's forward
    /// ("Fwd:", the original attached). "inbox" first rewrites the upstream filter's verdict fields
    /// as if it had delivered the message to the inbox.
    /// </summary>
    public static int Wrap(string input, string output, string variant)
    {
        if (variant is not ("delivered" or "inbox"))
        {
            return Usage();
        }

        Directory.CreateDirectory(output);
        var files = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var index = 0;
        foreach (var file in files)
        {
            var original = File.ReadAllBytes(file);
            original = ReplaceHoneypot(original);
            if (variant == "inbox")
            {
                original = AsDeliveredToInbox(original);
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"{index:D5}-{Path.GetFileNameWithoutExtension(file)}.eml");
            File.WriteAllBytes(Path.Combine(output, name), Envelope(original, index));
            index++;
        }

        Console.Error.WriteLine($"wrapped {index} messages from {input} ({variant}) into {output}");
        return 0;
    }

    /// <summary>The original's header block with SCL 1, SFV:NSPM, no spam/phish category and delivery to the inbox.</summary>
    internal static byte[] AsDeliveredToInbox(byte[] original)
    {
        var text = Encoding.Latin1.GetString(original);
        var end = HeaderEnd(text);
        var headers = text[..end];
        headers = OrganizationScl().Replace(headers, "${1}1");
        headers = ForefrontScl().Replace(headers, "SCL:1");
        headers = ForefrontVerdict().Replace(headers, "SFV:NSPM");
        headers = ForefrontCategory().Replace(headers, "CAT:NONE");
        headers = JunkDestination().Replace(headers, "dest:I");
        return Encoding.Latin1.GetBytes(headers + text[end..]);
    }

    private static int HeaderEnd(string text)
    {
        var crlf = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lf = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (crlf < 0)
        {
            return lf < 0 ? text.Length : lf;
        }

        return lf < 0 ? crlf : Math.Min(crlf, lf);
    }

    private static byte[] ReplaceHoneypot(byte[] original)
    {
        var text = Encoding.Latin1.GetString(original);
        return text.Contains(HoneypotAddress, StringComparison.OrdinalIgnoreCase)
            ? Encoding.Latin1.GetBytes(text.Replace(HoneypotAddress, ReporterAddress, StringComparison.OrdinalIgnoreCase))
            : original;
    }

    private static byte[] Envelope(byte[] original, int index)
    {
        var boundary = "=_hookline_eval_" + Guid.NewGuid().ToString("N");
        var networkId = Guid.NewGuid().ToString("D");
        var date = new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.Zero).AddMinutes(index).ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        var head = new StringBuilder();
        head.Append("From: Avery Adams <").Append(ReporterAddress).Append(">\r\n");
        head.Append("To: report@contoso.com\r\n");
        head.Append("Date: ").Append(date).Append("\r\n");
        head.Append("Message-ID: <eval-").Append(index.ToString(CultureInfo.InvariantCulture)).Append("@contoso.com>\r\n");
        head.Append("MIME-Version: 1.0\r\n");
        string body;
        string partHeaders;
        var raw = true;
        switch (index % 3)
        {
            case 0:
                head.Append("Subject: Phishing: ").Append(networkId).Append("|203.0.113.7|sender@unknown.example|(Reported message)\r\n");
                body = "I think this email is malicious.\r\n";
                partHeaders = "Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n";
                break;
            case 1:
                head.Append("Subject: Phishing: ").Append(networkId).Append("|(Reported message)\r\n");
                body = "This message was reported by the user with the organisation's report button.\r\n";
                partHeaders = "Content-Type: application/octet-stream; name=\"reported.eml\"\r\nContent-Disposition: attachment; filename=\"reported.eml\"\r\nContent-Transfer-Encoding: base64\r\n";
                raw = false;
                break;
            default:
                head.Append("Subject: Fwd: Is this real?\r\n");
                body = "Hi security team, I got this and it looks odd. Can you check?\r\n\r\nAvery\r\n";
                partHeaders = "Content-Type: message/rfc822; name=\"message.eml\"\r\nContent-Disposition: attachment; filename=\"message.eml\"\r\n";
                break;
        }

        head.Append("Content-Type: multipart/mixed; boundary=\"").Append(boundary).Append("\"\r\n\r\n");
        head.Append("--").Append(boundary).Append("\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n").Append(body);
        head.Append("--").Append(boundary).Append("\r\n").Append(partHeaders).Append("\r\n");
        using var stream = new MemoryStream(original.Length + 1024);
        stream.Write(Encoding.UTF8.GetBytes(head.ToString()));
        if (raw)
        {
            stream.Write(original);
        }
        else
        {
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(original, Base64FormattingOptions.InsertLineBreaks)));
        }

        stream.Write(Encoding.ASCII.GetBytes("\r\n--" + boundary + "--\r\n"));
        return stream.ToArray();
    }

    public static int Header()
    {
        Console.WriteLine("| source | variant | messages | clean | spam | phishing | error | not clean | phishing |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        return 0;
    }

    /// <summary>One Markdown row: how many lines of the JSONL file were rated clean, spam, phishing, or failed; optionally the most frequent rules.</summary>
    public static int Tally(string label, string jsonl, int topRules)
    {
        int clean = 0, spam = 0, phishing = 0, error = 0;
        var rules = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(jsonl))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (!root.TryGetProperty("assessment", out var assessment) || assessment.ValueKind != JsonValueKind.Object)
            {
                error++;
                continue;
            }

            switch (assessment.GetProperty("verdict").GetString())
            {
                case "phishing":
                    phishing++;
                    break;
                case "spam":
                    spam++;
                    break;
                default:
                    clean++;
                    break;
            }

            if (topRules > 0 && assessment.TryGetProperty("matches", out var matches) && matches.ValueKind == JsonValueKind.Array)
            {
                foreach (var match in matches.EnumerateArray())
                {
                    var rule = match.GetProperty("rule").GetString() ?? "?";
                    rules[rule] = rules.GetValueOrDefault(rule) + 1;
                }
            }
        }

        var total = clean + spam + phishing + error;
        var parts = label.Split('/');
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {parts[0]} | {(parts.Length > 1 ? parts[1] : "")} | {total} | {clean} | {spam} | {phishing} | {error} | {Percent(spam + phishing, total)} | {Percent(phishing, total)} |"));
        foreach (var (rule, count) in rules.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Take(topRules))
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {label} {count,6} {rule}"));
        }

        return 0;
    }

    private static string Percent(int part, int total) =>
        total == 0 ? "-" : (part * 100.0 / total).ToString("F1", CultureInfo.InvariantCulture) + "%";

    [GeneratedRegex(@"^(X-MS-Exchange-Organization-SCL:[ \t]*)-?\d+", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex OrganizationScl();

    [GeneratedRegex(@"\bSCL:-?\d+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForefrontScl();

    [GeneratedRegex(@"\bSFV:[A-Z]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForefrontVerdict();

    [GeneratedRegex(@"\bCAT:(?!NONE\b)[A-Z]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForefrontCategory();

    [GeneratedRegex(@"\bdest:J\b", RegexOptions.CultureInvariant)]
    private static partial Regex JunkDestination();
}
