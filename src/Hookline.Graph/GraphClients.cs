using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Hookline.Graph;

/// <summary>
/// Makes the <see cref="GraphServiceClient"/>s Hookline talks to Microsoft Graph with, from a
/// <see cref="GraphConnection"/>. The caller owns (and disposes) the client it gets.
/// </summary>
public static class GraphClients
{
    /// <summary>
    /// A Graph client for the client-credentials flow: Azure.Identity's <see cref="ClientSecretCredential"/>
    /// asking for the <c>.default</c> scope of the base URL's host, with the SDK's default middleware
    /// (which retries 429, 503 and 504 as told by Retry-After).
    /// </summary>
    public static GraphServiceClient Create(GraphConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(connection.TenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(connection.ClientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(connection.ClientSecret);
        var credentialOptions = new ClientSecretCredentialOptions
        {
            AuthorityHost = connection.AuthorityHost ?? AzureAuthorityHosts.AzurePublicCloud,
        };
        var credential = new ClientSecretCredential(connection.TenantId, connection.ClientId, connection.ClientSecret, credentialOptions);
        var scope = connection.BaseUrl.GetLeftPart(UriPartial.Authority) + "/.default";
        return new GraphServiceClient(credential, [scope], BaseUrlText(connection.BaseUrl));
    }

    /// <summary>
    /// A Graph client with the given authentication (for example a fixed bearer token for a test
    /// server) against <see cref="GraphConnection.BaseUrl"/>, with the SDK's default middleware; the
    /// connection's credentials are not used.
    /// </summary>
    public static GraphServiceClient Create(GraphConnection connection, IAuthenticationProvider authentication)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(authentication);
        return new GraphServiceClient(authentication, BaseUrlText(connection.BaseUrl));
    }

    /// <summary>The base URL as the SDK takes it: without a trailing slash.</summary>
    private static string BaseUrlText(Uri baseUrl) => baseUrl.ToString().TrimEnd('/');
}
