using System.Globalization;
using System.Text;

namespace Hookline.Intake.Demo;

/// <summary>
/// Realistic reports for the demo and for load tests: envelopes as Microsoft's Report button and a
/// third-party button write them, and users' forwards, each carrying one of a set of originals
/// (credential phishing on lookalike domains, invoice lures with HTML attachments, CEO fraud, bulk
/// newsletters, legitimate internal mail), with the Exchange Online headers such mail carries.
/// Deterministic for a seed; every report is distinct (its own Message-ID and Network Message ID).
/// </summary>
public static class DemoReports
{
    private static readonly (string Name, string Address)[] Reporters =
    [
        ("Avery Adams", "avery@contoso.com"), ("Blake Brown", "blake@contoso.com"), ("Casey Chen", "casey@contoso.com"),
        ("Devon Diaz", "devon@contoso.com"), ("Emery Evans", "emery@contoso.com"), ("Finley Fox", "finley@contoso.com"),
        ("Gray Garcia", "gray@contoso.com"), ("Harper Hill", "harper@contoso.com"), ("Indigo Ito", "indigo@contoso.com"),
        ("Jordan Jones", "jordan@contoso.com"), ("Kai Kim", "kai@contoso.com"), ("Logan Lee", "logan@contoso.com"),
    ];

    /// <summary>The organisation the demo reports come from, as its <c>settings.yaml</c> names it (its own domain is trusted only while authentication passes).</summary>
    public const string OrganizationSettings = "organization:\n  name: Contoso\n  domains: [contoso.com]\n";

    private static readonly Original[] Originals =
    [
        new("IT Service Desk", "it-support@c0ntoso-helpdesk.example", "203.0.113.9", "Your mailbox is almost full", "fail", "none", "fail",
            "<p>Your mailbox has reached 99% of its quota. Sign in within 24 hours to keep receiving mail.</p><p><a href=\"https://login.c0ntoso-helpdesk.example/owa/auth\">Keep my mailbox</a></p>", null),
        new("Microsoft 365", "no-reply@micros0ft-security.example", "198.51.100.23", "Unusual sign-in activity", "softfail", "none", "fail",
            "<p>We detected a sign-in from an unrecognised device.</p><p><a href=\"https://bit.ly/3xYzAbC\">Review recent activity</a></p>", null),
        new("Accounts Payable", "ap@northwind-invoices.example", "192.0.2.44", "Overdue invoice INV-20931", "pass", "pass", "none",
            "<p>Please find the overdue invoice attached. Payment is required today.</p>", ("INV-20931.html", "text/html",
            "<html><body><form action=\"https://collect.northwind-invoices.example/pay\" method=\"post\"><input name=\"email\"><input type=\"password\" name=\"pw\"></form></body></html>")),
        new("Jordan Jones (CEO)", "jordan.jones.ceo@gmail.example", "209.85.220.41", "Quick favour", "pass", "pass", "pass",
            "<p>Are you at your desk? I need you to buy gift cards for a client today. Keep this between us.</p>", null),
        new("Fabrikam Deals", "news@deals.fabrikam.example", "198.51.100.77", "This week only: 40% off everything", "pass", "pass", "pass",
            "<p>Our biggest sale of the season.</p><p><a href=\"https://deals.fabrikam.example/sale?utm_source=mail\">Shop now</a> | <a href=\"https://deals.fabrikam.example/unsubscribe\">Unsubscribe</a></p>", null),
        new("Payroll", "payroll@contoso.com", "10.20.30.40", "Your November payslip is available", "pass", "pass", "pass",
            "<p>Your payslip for November is available in the HR portal.</p><p><a href=\"https://hr.contoso.com/payslips\">Open the HR portal</a></p>", null),
        new("DocuSign", "dse@docusign-notify.example", "203.0.113.120", "Please review and sign: Contract_2026.pdf", "fail", "fail", "fail",
            "<p>You have received a document to review and sign.</p><p><a href=\"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2F45.77.12.9%2Fdocusign%2Flogin&amp;data=05\">REVIEW DOCUMENT</a></p>", null),
        new("Shipping Notice", "tracking@parcel-delivery.example", "198.51.100.5", "Delivery attempt failed", "none", "none", "none",
            "<p>We could not deliver your parcel. Pay the redelivery fee of 1.99 EUR.</p>", ("label.zip", "application/zip", "PK")),
    ];

    /// <summary><paramref name="count"/> distinct raw reports, from <paramref name="seed"/>, reported over the <paramref name="days"/> before <paramref name="until"/>.</summary>
    public static IEnumerable<byte[]> Generate(int count, int seed, DateTimeOffset until, int days = 30)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var reporter = Reporters[random.Next(Reporters.Length)];
            var original = Originals[random.Next(Originals.Length)];
            var reportedAt = until.AddMinutes(-random.Next(Math.Max(1, days * 24 * 60)));
            var verdictRoll = random.Next(100);
            var verdict = verdictRoll < 65 ? "Phishing" : verdictRoll < 88 ? "Junk" : "Not junk";
            var kind = random.Next(10);
            var unique = string.Create(CultureInfo.InvariantCulture, $"{seed:x}{i:x6}{random.Next():x8}");
            yield return Encoding.UTF8.GetBytes(Envelope(kind, reporter, original, verdict, reportedAt, unique));
        }
    }

    private static string Envelope(int kind, (string Name, string Address) reporter, Original original, string verdict, DateTimeOffset reportedAt, string unique)
    {
        var networkId = NetworkMessageId(unique);
        var received = reportedAt.AddMinutes(-(unique.Length * 7 % 600) - 5);
        var message = OriginalMessage(original, reporter, received, networkId, unique);
        var date = Rfc5322(reportedAt);
        var (subject, body) = kind switch
        {
            < 7 => ($"{verdict}: {networkId}|{original.Ip}|{original.Address}|({original.Subject})",
                    "This email was reported using the Report button. Review it in the Microsoft Defender portal:\r\nhttps://security.microsoft.com/reportsubmission?viewid=user\r\n"),
            < 9 => ($"{(verdict == "Phishing" ? "1" : verdict == "Junk" ? "2" : "3")}|{networkId}|{original.Ip}|{original.Address}|({original.Subject})",
                    "Reported with the third-party report button.\r\n"),
            _ => ($"FW: {original.Subject}", "Looks suspicious to me, can you check?\r\n"),
        };
        var boundary = "_rep_" + unique;
        var builder = new StringBuilder(4096);
        builder.Append("Received: from AM6PR02MB1111.eurprd02.prod.outlook.com (2603:10a6:20b:e0::1) by\r\n AM6PR02MB2222.eurprd02.prod.outlook.com with HTTPS; ").Append(date).Append("\r\n");
        builder.Append("From: ").Append(reporter.Name).Append(" <").Append(reporter.Address).Append(">\r\n");
        builder.Append("To: Phish Reports <report@contoso.com>\r\n");
        builder.Append("Subject: ").Append(subject).Append("\r\n");
        builder.Append("Date: ").Append(date).Append("\r\n");
        builder.Append("Message-ID: <").Append(unique).Append("@AM6PR02MB1111.eurprd02.prod.outlook.com>\r\n");
        builder.Append("MIME-Version: 1.0\r\n");
        builder.Append("X-MS-Exchange-Organization-AuthAs: Internal\r\n");
        builder.Append("Content-Type: multipart/mixed;\r\n\tboundary=\"").Append(boundary).Append("\"\r\n\r\n");
        builder.Append("--").Append(boundary).Append("\r\nContent-Type: text/plain; charset=\"us-ascii\"\r\n\r\n").Append(body).Append("\r\n");
        builder.Append("--").Append(boundary).Append("\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n");
        builder.Append(message).Append("\r\n--").Append(boundary).Append("--\r\n");
        return builder.ToString();
    }

    private static string OriginalMessage(Original original, (string Name, string Address) reporter, DateTimeOffset received, string networkId, string unique)
    {
        var date = Rfc5322(received);
        var domain = original.Address[(original.Address.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var builder = new StringBuilder(2048);
        builder.Append("Received: from mx.").Append(domain).Append(" (").Append(original.Ip).Append(") by\r\n AM6EUR05FT012.mail.protection.outlook.com (10.233.241.130) with Microsoft SMTP\r\n Server id 15.20.7633.18 via Frontend Transport; ").Append(date).Append("\r\n");
        builder.Append("Authentication-Results: spf=").Append(original.Spf).Append(" (sender IP is ").Append(original.Ip).Append(")\r\n smtp.mailfrom=").Append(domain)
            .Append("; dkim=").Append(original.Dkim).Append(" header.d=").Append(domain).Append(";dmarc=").Append(original.Dmarc)
            .Append(" action=none header.from=").Append(domain).Append(";compauth=").Append(original.Dmarc == "fail" ? "fail reason=000" : "pass reason=100").Append("\r\n");
        builder.Append("From: ").Append(original.Name).Append(" <").Append(original.Address).Append(">\r\n");
        builder.Append("To: ").Append(reporter.Name).Append(" <").Append(reporter.Address).Append(">\r\n");
        builder.Append("Subject: ").Append(original.Subject).Append("\r\n");
        builder.Append("Date: ").Append(date).Append("\r\n");
        builder.Append("Message-ID: <").Append(unique).Append(".orig@").Append(domain).Append(">\r\n");
        builder.Append("X-MS-Exchange-Organization-Network-Message-Id: ").Append(networkId).Append("\r\n");
        builder.Append("X-Forefront-Antispam-Report: CIP:").Append(original.Ip).Append(";CTRY:NL;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:mx.").Append(domain).Append(";DIR:INB;\r\n");
        builder.Append("MIME-Version: 1.0\r\n");
        if (original.Attachment is null && original.Address.EndsWith("@contoso.com", StringComparison.Ordinal))
        {
            // Mail from inside the organisation, as Outlook writes it: HTML with a plain-text alternative.
            builder.Append("Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n\r\n")
                .Append(System.Text.RegularExpressions.Regex.Replace(original.Html, "<[^>]+>", " ")).Append("\r\n--alt\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\r\n<html><body>")
                .Append(original.Html).Append("</body></html>\r\n--alt--\r\n");
            return builder.ToString();
        }

        if (original.Attachment is not { } attachment)
        {
            builder.Append("Content-Type: text/html; charset=\"utf-8\"\r\n\r\n<html><body>").Append(original.Html).Append("</body></html>\r\n");
            return builder.ToString();
        }

        var boundary = "_orig_" + unique;
        builder.Append("Content-Type: multipart/mixed; boundary=\"").Append(boundary).Append("\"\r\n\r\n");
        builder.Append("--").Append(boundary).Append("\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\r\n<html><body>").Append(original.Html).Append("</body></html>\r\n");
        builder.Append("--").Append(boundary).Append("\r\nContent-Type: ").Append(attachment.Type).Append("; name=\"").Append(attachment.Name)
            .Append("\"\r\nContent-Disposition: attachment; filename=\"").Append(attachment.Name).Append("\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        builder.Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(attachment.Content), Base64FormattingOptions.InsertLineBreaks).Replace("\n", "\r\n", StringComparison.Ordinal).Replace("\r\r", "\r", StringComparison.Ordinal));
        builder.Append("\r\n--").Append(boundary).Append("--\r\n");
        return builder.ToString();
    }

    private static string NetworkMessageId(string unique)
    {
        var hex = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(unique)));
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    private static string Rfc5322(DateTimeOffset at) => at.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    private sealed record Original(string Name, string Address, string Ip, string Subject, string Spf, string Dkim, string Dmarc, string Html, (string Name, string Type, string Content)? Attachment);
}
