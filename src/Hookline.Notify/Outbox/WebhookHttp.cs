using System.Net;
using System.Net.Sockets;

namespace Hookline.Notify.Outbox;

/// <summary>
/// The HTTP client webhooks are posted with. A webhook's address is typed in the settings page, so it
/// must not reach into the server's own network: unless an admin allows private targets in
/// <c>hookline.yaml</c> (<c>notifications.allowPrivateWebhooks</c>), a connection is made only to a public
/// address, checked on the addresses the name resolves to at the moment of connecting (a name that
/// resolves to 127.0.0.1 or 169.254.169.254 is refused however it is spelt, and so is one that changes
/// its answer after the settings were saved). Redirects are never followed: a 3xx is the webhook's answer.
/// </summary>
public static class WebhookHttp
{
    /// <summary>A client for webhooks; <paramref name="allowPrivate"/> lets loopback, link-local and private addresses through.</summary>
    public static HttpClient Create(bool allowPrivate, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
        };
        return new HttpClient(handler) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    /// <summary>True for an address a webhook may not reach without the admin's leave: loopback, private, link-local, shared, unspecified, multicast, documentation and reserved ranges.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (bytes[0] & 0xFE) == 0xFC // fc00::/7 unique local
                || (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0D && bytes[3] == 0xB8) // 2001:db8::/32 documentation
                || (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B); // 64:ff9b::/96 NAT64 (reaches IPv4 inside)
        }

        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127 or >= 224 // this network, private, loopback, multicast and reserved
            || (b[0] == 100 && b[1] is >= 64 and < 128) // 100.64/10 shared (carrier-grade NAT)
            || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata
            || (b[0] == 172 && b[1] is >= 16 and < 32)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) // IETF protocol assignments, TEST-NET-1
            || (b[0] == 198 && b[1] is 18 or 19) // benchmarking
            || (b[0] == 198 && b[1] == 51 && b[2] == 100)
            || (b[0] == 203 && b[1] == 0 && b[2] == 113);
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint target, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(target.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(target.Host, cancellationToken).ConfigureAwait(false);
        var allowed = allowPrivate ? addresses : addresses.Where(a => !IsPrivate(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookTargetRefusedException(addresses.Length == 0
                ? $"{target.Host} has no address"
                : $"{target.Host} is a private address ({string.Join(", ", addresses.Select(a => a.ToString()))}); webhooks go only to public addresses unless notifications.allowPrivateWebhooks is set in hookline.yaml");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, target.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>The webhook's host resolved to no address a webhook may reach: a permanent failure, not retried.</summary>
public sealed class WebhookTargetRefusedException(string message) : IOException(message);
