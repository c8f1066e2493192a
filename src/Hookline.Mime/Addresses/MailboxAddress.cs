using System.Globalization;
using System.Text;

namespace Hookline.Mime.Addresses;

/// <summary>
/// A mailbox (RFC 5322 section 3.4): an optional display name and an address. <see cref="Address"/>
/// is kept as written (a quoted local part keeps its quotes; comments and folding removed), so a
/// display name that looks like another address stays visible for analysis.
/// </summary>
public sealed class MailboxAddress : InternetAddress
{
    private string? _unicodeDomain;
    private string? _asciiDomain;

    public MailboxAddress(string? name, string localPart, string domain, string address, IReadOnlyList<string>? route = null)
        : base(name)
    {
        LocalPart = localPart;
        Domain = domain;
        Address = address;
        Route = route ?? [];
    }

    /// <summary>A mailbox from "local@domain" (split at the last "@"), with an optional display name.</summary>
    public MailboxAddress(string? name, string address)
        : base(name)
    {
        Address = address;
        var at = address.LastIndexOf('@');
        LocalPart = at < 0 ? address : address[..at];
        Domain = at < 0 ? string.Empty : address[(at + 1)..];
        Route = [];
    }

    /// <summary>"local@domain" as written (without angle brackets, comments or folding).</summary>
    public string Address { get; }

    /// <summary>The local part with quotes removed and quoted-pairs unescaped.</summary>
    public string LocalPart { get; }

    /// <summary>The domain as written (possibly punycode, a domain literal "[1.2.3.4]", or empty when missing).</summary>
    public string Domain { get; }

    /// <summary>An obsolete source route (RFC 5322 section 4.4, "&lt;@relay1,@relay2:a@b&gt;"): the relay domains.</summary>
    public IReadOnlyList<string> Route { get; }

    /// <summary>The domain with punycode labels turned into Unicode (IDNA); the domain as written when that is not possible.</summary>
    public string UnicodeDomain => _unicodeDomain ??= ToUnicode(Domain);

    /// <summary>The domain with Unicode labels turned into punycode (IDNA); the domain as written when that is not possible.</summary>
    public string AsciiDomain => _asciiDomain ??= ToAscii(Domain);

    /// <summary>True when the address holds non-ASCII characters (RFC 6531).</summary>
    public bool IsInternational => !Ascii.IsValid(Address);

    public override string ToString() => string.IsNullOrEmpty(Name) ? $"<{Address}>" : $"\"{Name}\" <{Address}>";

    private static string ToUnicode(string domain)
    {
        if (domain.Length == 0 || domain[0] == '[' || domain.IndexOf("xn--", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return domain;
        }

        try
        {
            return new IdnMapping().GetUnicode(domain.TrimEnd('.'));
        }
        catch (ArgumentException)
        {
            return domain;
        }
    }

    private static string ToAscii(string domain)
    {
        if (domain.Length == 0 || domain[0] == '[' || Ascii.IsValid(domain))
        {
            return domain;
        }

        try
        {
            return new IdnMapping().GetAscii(domain.TrimEnd('.'));
        }
        catch (ArgumentException)
        {
            return domain;
        }
    }
}
