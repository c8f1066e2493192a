using Hookline.Notify;

namespace Hookline.Hosting;

/// <summary>The notification composer for a runtime: the settings in its store, links to its public address, reporters in its organisation's domains.</summary>
internal static class Composer
{
    public static NotificationComposer Create(Runtime runtime)
    {
        var publicUrl = runtime.Config.Notifications.PublicUrl;
        return new NotificationComposer(
            new NotificationSettingsStore(runtime.Store, runtime.OrganizationDomains),
            new NotificationComposerOptions { PublicUrl = string.IsNullOrWhiteSpace(publicUrl) ? null : new Uri(publicUrl, UriKind.Absolute), OrganizationDomains = runtime.OrganizationDomains });
    }
}
