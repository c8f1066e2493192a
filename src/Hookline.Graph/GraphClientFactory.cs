using Microsoft.Graph;

namespace Hookline.Graph;

/// <summary>
/// Where a host gets its Graph clients: the server's notification side asks it for one, so that a
/// test host can hand out clients for a Graph stand-in (a fixed bearer token) by replacing this one service.
/// </summary>
public interface IGraphClientFactory
{
    /// <summary>A client for <paramref name="connection"/>; the caller owns (and disposes) it.</summary>
    GraphServiceClient Create(GraphConnection connection);
}

/// <summary>Clients for the client-credentials flow (<see cref="GraphClients.Create(GraphConnection)"/>), as production uses.</summary>
public sealed class GraphClientFactory : IGraphClientFactory
{
    public GraphServiceClient Create(GraphConnection connection) => GraphClients.Create(connection);
}
