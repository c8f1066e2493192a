using Hookline.Notify;
using Hookline.Storage.Model;

namespace Hookline.Hosting;

/// <summary>The notification composer for a runtime.</summary>
internal static class Composer
{
    public static INotificationComposer Create(Runtime runtime) => new Silent();

    // Replaced by Hookline.Notify's composer when it lands.
    private sealed class Silent : INotificationComposer
    {
        public Task<ComposedMessage?> ComposeAcknowledgementAsync(ReportRecord report, CancellationToken cancellationToken) => Task.FromResult<ComposedMessage?>(null);

        public Task<ComposedMessage?> ComposeAlertAsync(ReportRecord report, CancellationToken cancellationToken) => Task.FromResult<ComposedMessage?>(null);

        public Task<ComposedMessage?> ComposeResultAsync(ReportRecord report, ReviewRecord review, CancellationToken cancellationToken) => Task.FromResult<ComposedMessage?>(null);
    }
}
