using System.Net;
using System.Net.Sockets;

namespace Hookline.Testing.Servers;

/// <summary>Free TCP ports on the loopback interface, for servers the tests start.</summary>
public static class FreePort
{
    /// <summary>A port on 127.0.0.1 that nothing listened on a moment ago.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
