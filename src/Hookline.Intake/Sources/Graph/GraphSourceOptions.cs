using Hookline.Graph;

namespace Hookline.Intake.Sources.Graph;

/// <summary>
/// How a <see cref="GraphSource"/> reaches one folder of one mailbox in Microsoft 365 through
/// Microsoft Graph. See <c>docs/graph.md</c> for the Entra ID set-up these values come from.
/// </summary>
public sealed class GraphSourceOptions
{
    /// <summary>Microsoft Graph v1.0 in the global cloud.</summary>
    public static readonly Uri GlobalBaseUrl = GraphConnection.GlobalBaseUrl;

    /// <summary>The source's name, written into <see cref="IncomingReport.Source"/> (e.g. <c>graph:reports</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The directory (tenant) id of the organisation that owns the mailbox.</summary>
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

    /// <summary>The reporting mailbox: a user id or user principal name (e.g. <c>report@contoso.com</c>).</summary>
    public required string Mailbox { get; init; }

    /// <summary>The folder to read: a well-known name (<c>inbox</c>, <c>junkemail</c>, …) or a folder id.</summary>
    public string Folder { get; init; } = "inbox";

    /// <summary>
    /// When set, the display name of a top-level folder (created under the mailbox root if missing)
    /// that each message is moved to once the sink has committed it. Null leaves messages where they are.
    /// </summary>
    public string? ProcessedFolder { get; init; }

    /// <summary>The wait between the end of one delta round and the start of the next.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages per delta page, sent as <c>Prefer: odata.maxpagesize</c> (Graph answers with at most this many).</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>Messages larger than this many bytes are not downloaded; they are logged and left in the folder.</summary>
    public long MaxMessageBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>The Graph endpoint including the version segment; change it for national clouds (or a stand-in).</summary>
    public Uri BaseUrl { get; init; } = GlobalBaseUrl;

    /// <summary>The first wait after a failed round; it doubles after each further failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between failed rounds.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The endpoint and credentials of these options, as <see cref="GraphClients"/> takes them.</summary>
    public GraphConnection Connection => new()
    {
        TenantId = TenantId,
        ClientId = ClientId,
        ClientSecret = ClientSecret,
        AuthorityHost = AuthorityHost,
        BaseUrl = BaseUrl,
    };

    /// <summary>The cursor-store key under which the folder's delta or next link is kept.</summary>
    public string CursorKey => $"graph:{Name}:{Mailbox}:{Folder}:delta";

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        ArgumentException.ThrowIfNullOrWhiteSpace(Mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(Folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(PollInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialBackoff, TimeSpan.Zero);
        if (ProcessedFolder is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(ProcessedFolder);
        }
    }
}
