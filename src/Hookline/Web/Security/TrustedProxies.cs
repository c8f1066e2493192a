using System.Net;
using Hookline.Configuration;
using Microsoft.AspNetCore.HttpOverrides;

namespace Hookline.Web.Security;

/// <summary>
/// Which forwarded headers to believe: X-Forwarded-For (the client's address, used by the sign-in rate
/// limit and the audit) and X-Forwarded-Proto (https, which makes cookies Secure and sends HSTS),
/// only from the proxies named in <c>web.trustedProxies</c>. ASP.NET Core's defaults trust loopback;
/// here nothing is trusted unless named, so a client that reaches the server directly cannot claim
/// another address or https.
/// </summary>
internal static class TrustedProxies
{
    /// <summary>The middleware's options for <paramref name="entries"/>, or null when none is named (the headers are then never read).</summary>
    public static ForwardedHeadersOptions? Options(IReadOnlyList<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return null;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // One proxy in front: its own entry (the last) is the client; earlier entries are the client's word.
            ForwardLimit = 1,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in entries)
        {
            var text = entry.Trim();
            if (text.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(text, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(text, out var address))
            {
                options.KnownProxies.Add(address);
                if (address.IsIPv4MappedToIPv6 || address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    // Kestrel may report an IPv4 peer on a dual-stack socket as ::ffff:a.b.c.d.
                    options.KnownProxies.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address.MapToIPv6());
                }
            }
            else
            {
                throw new ConfigException($"web.trustedProxies: '{entry}' is not an IP address or network (10.0.0.1, 10.0.0.0/24)");
            }
        }

        return options;
    }
}
