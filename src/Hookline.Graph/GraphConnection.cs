namespace Hookline.Graph;

/// <summary>
/// How Hookline reaches Microsoft Graph as an app registration: the endpoint, and the client
/// credentials it signs in with. Shared by everything that talks to Graph (a Graph source reading a
/// mailbox, the outbox sending as one); what to read or whom to send as is not part of it. See
/// <c>docs/graph.md</c> for the Entra ID set-up these values come from.
/// </summary>
/// <remarks>A class rather than a record, so that no generated <c>ToString</c> prints the secret into a log.</remarks>
public sealed class GraphConnection
{
    /// <summary>Microsoft Graph v1.0 in the global cloud.</summary>
    public static readonly Uri GlobalBaseUrl = new("https://graph.microsoft.com/v1.0");

    /// <summary>The directory (tenant) id of the organisation that owns the app registration.</summary>
    public string? TenantId { get; init; }

    /// <summary>The application (client) id of the app registration.</summary>
    public string? ClientId { get; init; }

    /// <summary>A client secret of the app registration (client-credentials flow).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>
    /// The Entra ID authority for the client-credentials flow; null means the global cloud
    /// (<c>https://login.microsoftonline.com/</c>). Set it together with <see cref="BaseUrl"/> for a national cloud.
    /// </summary>
    public Uri? AuthorityHost { get; init; }

    /// <summary>The Graph endpoint including the version segment; change it for national clouds (or a stand-in).</summary>
    public Uri BaseUrl { get; init; } = GlobalBaseUrl;
}
