using System.Text;

namespace Hookline.Mime.Headers;

/// <summary>Turns field-name bytes into a string, reusing one instance for the names mail carries most.</summary>
internal static class HeaderNames
{
    private static readonly string[] Common =
    [
        "Received", "From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "Message-Id", "Reply-To", "Sender",
        "Return-Path", "In-Reply-To", "References", "MIME-Version", "Mime-Version", "Content-Type",
        "Content-Transfer-Encoding", "Content-Disposition", "Content-ID", "Content-Id", "Content-Description",
        "Content-Language", "Content-Length", "Authentication-Results", "ARC-Authentication-Results",
        "ARC-Message-Signature", "ARC-Seal", "DKIM-Signature", "Received-SPF", "X-Mailer", "User-Agent",
        "Thread-Topic", "Thread-Index", "Accept-Language", "X-MS-Has-Attach", "X-MS-TNEF-Correlator",
        "X-MS-Exchange-Organization-Network-Message-Id", "X-MS-Exchange-CrossTenant-Id",
        "X-MS-Exchange-CrossTenant-OriginalArrivalTime", "X-MS-Exchange-CrossTenant-AuthSource",
        "X-MS-Exchange-CrossTenant-AuthAs", "X-MS-Exchange-CrossTenant-Network-Message-Id",
        "X-MS-Exchange-CrossTenant-FromEntityHeader", "X-MS-Exchange-Transport-CrossTenantHeadersStamped",
        "X-MS-PublicTrafficType", "X-MS-TrafficTypeDiagnostic", "X-MS-Office365-Filtering-Correlation-Id",
        "X-Microsoft-Antispam", "X-Microsoft-Antispam-Message-Info", "X-Forefront-Antispam-Report",
        "X-MS-Exchange-AntiSpam-MessageData-ChunkCount", "X-MS-Exchange-AntiSpam-MessageData-0",
        "X-Originating-IP", "X-Priority", "X-Spam-Status", "X-Spam-Level", "X-Spam-Flag", "X-Spam-Checker-Version",
        "Delivered-To", "X-Original-To", "Precedence", "List-Unsubscribe", "List-Id", "Errors-To", "Status",
        "X-Beenthere", "X-Mailman-Version", "List-Help", "List-Post", "List-Subscribe", "List-Archive", "Importance",
        "Organization", "X-Virus-Scanned", "X-Original-Arrival-Time", "X-MimeOLE", "X-MSMail-Priority",
        "X-Google-Smtp-Source", "X-Received", "X-Gm-Message-State", "Feedback-ID", "X-SES-Outgoing",
        "Content-class", "X-MS-Exchange-MessageSentRepresentingType", "X-MS-Exchange-Organization-SCL",
        "X-MS-Exchange-Organization-AuthSource", "X-MS-Exchange-Organization-AuthAs", "X-Ms-Exchange-Organization-Network-Message-Id",
        "X-Ms-Exchange-Crosstenant-Id",
    ];

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup = Build();

    private static Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Common)
        {
            map[name] = name;
        }

        return map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static string Get(ReadOnlySpan<byte> name)
    {
        if (name.Length <= 64 && Ascii.IsValid(name))
        {
            Span<char> chars = stackalloc char[name.Length];
            Ascii.ToUtf16(name, chars, out _);
            if (Lookup.TryGetValue(chars, out var known))
            {
                return known;
            }

            return new string(chars);
        }

        return Text.Charsets.DecodeUnlabelled(name);
    }
}
