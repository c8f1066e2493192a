namespace Hookline.Reports.Analysis.Authentication;

/// <summary>One "method=result" of an Authentication-Results field (RFC 8601 section 2.2), with its reason, comment and properties.</summary>
public sealed class MethodResult
{
    public MethodResult(string method, string result)
    {
        Method = method;
        Result = result;
    }

    /// <summary>The method, lower case ("spf", "dkim", "dmarc", "compauth", "arc", ...).</summary>
    public string Method { get; }

    /// <summary>The method version ("dkim/1"), when written.</summary>
    public string? MethodVersion { get; set; }

    /// <summary>The result, lower case ("pass", "fail", "softfail", "none", "bestguesspass", ...).</summary>
    public string Result { get; }

    /// <summary>The reason= value (compauth writes its code here: "reason=000").</summary>
    public string? Reason { get; set; }

    /// <summary>The first comment after the result, bounded ("sender IP is 203.0.113.9").</summary>
    public string? Comment { get; set; }

    /// <summary>The ptype.property=value pairs and other key=value pairs (EOP's "action=quarantine"), keys lower case, in order.</summary>
    public List<KeyValuePair<string, string>> Properties { get; } = [];

    /// <summary>The first value of a property ("smtp.mailfrom", "header.d", "header.from", "action"), or null.</summary>
    public string? Property(string key)
    {
        foreach (var pair in Properties)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return null;
    }

    public override string ToString() => $"{Method}={Result}";
}

/// <summary>One Authentication-Results or ARC-Authentication-Results field, parsed.</summary>
public sealed class AuthenticationResult
{
    /// <summary>The field name as written ("Authentication-Results", "ARC-Authentication-Results").</summary>
    public required string FieldName { get; init; }

    /// <summary>Position among the fields of that name, 0 for the topmost (most recently added).</summary>
    public int Position { get; init; }

    /// <summary>The authserv-id (RFC 8601 section 2.5), or null when the field starts directly with a result, as Exchange Online writes it.</summary>
    public string? AuthServId { get; set; }

    /// <summary>The version after the authserv-id ("1"), when written.</summary>
    public string? Version { get; set; }

    /// <summary>The ARC instance ("i=1") of an ARC-Authentication-Results field.</summary>
    public int? ArcInstance { get; set; }

    /// <summary>True for "authserv-id; none": the server checked nothing.</summary>
    public bool IsNone { get; set; }

    /// <summary>True when the results were cut at <see cref="AuthenticationParser.MaxResultsPerField"/> or the field was not read to its end.</summary>
    public bool IsTruncated { get; set; }

    /// <summary>Whether this field counts for <see cref="AuthenticationSummary"/> (see <see cref="AuthenticationAnalyzer"/> for the rule).</summary>
    public bool IsTrusted { get; set; }

    public List<MethodResult> Results { get; } = [];

    /// <summary>The first result of a method, or null.</summary>
    public MethodResult? Find(string method) => Results.Find(r => string.Equals(r.Method, method, StringComparison.Ordinal));

    public override string ToString() => $"{FieldName}[{Position}] {AuthServId ?? "(no authserv-id)"}: {string.Join("; ", Results)}";
}

/// <summary>A Received-SPF field (RFC 7208 section 9.1): the result, its comment and key=value pairs.</summary>
public sealed class ReceivedSpf
{
    public int Position { get; init; }

    public required string Result { get; init; }

    public string? Comment { get; set; }

    /// <summary>The key=value pairs, keys lower case ("client-ip", "envelope-from", "helo", "receiver", "identity", "mechanism", "problem").</summary>
    public Dictionary<string, string> Pairs { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool IsTrusted { get; set; }

    public string? Get(string key) => Pairs.TryGetValue(key, out var v) ? v : null;
}

/// <summary>
/// X-Forefront-Antispam-Report (Exchange Online Protection): "KEY:value;" pairs. Every pair is kept;
/// the ones analysts read most have properties.
/// </summary>
public sealed class ForefrontReport
{
    /// <summary>Every pair in order, keys as written (upper case in practice).</summary>
    public List<KeyValuePair<string, string>> Pairs { get; } = [];

    /// <summary>The first value of a key (case-blind), or null.</summary>
    public string? Get(string key)
    {
        foreach (var pair in Pairs)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return null;
    }

    /// <summary>Connecting IP.</summary>
    public string? Cip => Get("CIP");

    /// <summary>Country of the connecting IP (two letters).</summary>
    public string? Country => Get("CTRY");

    public string? Language => Get("LANG");

    /// <summary>Spam confidence level, -1 to 9.</summary>
    public int? Scl => AuthenticationParser.ParseInt(Get("SCL"));

    /// <summary>Spam filter verdict: SPM, PHSH, NSPM, SKN, SKA, SKI, SKQ, SKS, BLK, SFE, ...</summary>
    public string? Sfv => Get("SFV");

    /// <summary>Protection category: PHISH, HPHISH, SPOOF, GIMP, BULK, SPM, HSPM, MALW, DIMP, UIMP, ...</summary>
    public string? Cat => Get("CAT");

    public string? Ptr => Get("PTR");

    public string? Srv => Get("SRV");

    public string? Ipv => Get("IPV");

    public string? Sfty => Get("SFTY");

    public string? Sfs => Get("SFS");

    public string? Dir => Get("DIR");

    /// <summary>The HELO/EHLO name (H:).</summary>
    public string? Helo => Get("H");
}
