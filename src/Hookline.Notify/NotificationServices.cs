using Hookline.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Hookline.Notify;

/// <summary>The notification side's registration: settings, composer and the worker's wake-up.</summary>
public static class NotificationServices
{
    /// <summary>
    /// The notification settings in the store, the composer (also the settings page's previewer) with
    /// <paramref name="options"/>, and the signal that wakes the notification worker. Needs
    /// <see cref="StorageServices.AddHooklineStorage"/>.
    /// </summary>
    public static IServiceCollection AddHooklineNotifications(this IServiceCollection services, NotificationComposerOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<INotificationSettingsStore>(provider => new NotificationSettingsStore(provider.GetRequiredService<HooklineStore>(), options.OrganizationDomains));
        services.AddSingleton(provider => new NotificationComposer(provider.GetRequiredService<INotificationSettingsStore>(), options));
        services.AddSingleton<INotificationComposer>(provider => provider.GetRequiredService<NotificationComposer>());
        services.AddSingleton<INotificationPreviewer>(provider => provider.GetRequiredService<NotificationComposer>());
        services.AddSingleton<NotificationSignal>();
        return services;
    }
}
