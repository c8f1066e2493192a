using Hookline.Intake.Filters;
using Hookline.Intake.Processing;
using Hookline.Intake.Sources;
using Hookline.Intake.Storage;
using Hookline.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Hookline.Intake;

/// <summary>The intake side's registration: what the sources write to and what wakes the analysis workers.</summary>
public static class IntakeServices
{
    /// <summary>
    /// The intake filter, the sink every source commits to (the store, then a wake-up of the analysis
    /// workers through <see cref="IntakeSignal"/>) and the sources' cursors in the store. Needs
    /// <see cref="StorageServices.AddHooklineStorage"/>.
    /// </summary>
    public static IServiceCollection AddHooklineIntake(this IServiceCollection services, IntakeFilter filter)
    {
        services.AddSingleton(filter);
        services.AddSingleton<IntakeSignal>();
        services.AddSingleton<IReportSink>(provider => new SignallingSink(new StoreReportSink(provider.GetRequiredService<IntakeWriter>()), provider.GetRequiredService<IntakeSignal>()));
        services.AddSingleton<ISourceCursorStore>(provider => new StoreCursorStore(provider.GetRequiredService<CursorStore>()));
        return services;
    }
}
