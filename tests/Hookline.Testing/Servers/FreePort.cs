using System.Net;
using System.Net.Sockets;

namespace Hookline.Testing.Servers;

/// <summary>Free TCP ports on the loopback interface, for servers the tests start.</summary>
public static class FreePort
{
    private static readonly HashSet<int> Given = [];

    /// <summary>A port on 127.0.0.1 that nothing listened on a moment ago, and never given out before in this process (two servers asking one after the other could otherwise be handed the same one).</summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Given)
            {
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
