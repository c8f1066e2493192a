using Microsoft.Extensions.DependencyInjection;

namespace Hookline.Storage;

/// <summary>The store's registration, for a host that composes Hookline's libraries.</summary>
public static class StorageServices
{
    /// <summary>
    /// The store (one per process, already migrated), a context per scope (the DataProtection key ring
    /// reads its table through it), the intake writer and the sources' cursors.
    /// </summary>
    public static IServiceCollection AddHooklineStorage(this IServiceCollection services, HooklineStore store)
    {
        services.AddSingleton(store);
        services.AddScoped(_ => store.CreateContext());
        services.AddSingleton<IntakeWriter>();
        services.AddSingleton<CursorStore>();
        return services;
    }
}
