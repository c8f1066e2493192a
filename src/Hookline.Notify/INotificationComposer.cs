using Hookline.Storage.Model;

namespace Hookline.Notify;

/// <summary>A rendered email, ready for the outbox: the recipient and the whole RFC 5322 message.</summary>
public sealed record ComposedMessage(string Recipient, string Subject, byte[] Content);

/// <summary>
/// Renders the emails Hookline sends from the current notification settings. Each method returns null
/// when that kind of email is switched off or has no one to go to (e.g. a report without a reporter).
/// Rendering happens when the decision is made, so the outbox holds exactly what was decided.
/// </summary>
public interface INotificationComposer
{
    /// <summary>The reporter's "we are looking at it" email for a newly received report.</summary>
    Task<ComposedMessage?> ComposeAcknowledgementAsync(ReportRecord report, CancellationToken cancellationToken);

    /// <summary>The reporter's result email for one review decision.</summary>
    Task<ComposedMessage?> ComposeResultAsync(ReportRecord report, ReviewRecord review, CancellationToken cancellationToken);

    /// <summary>The incident-response alert for a report assessed as phishing above the configured score.</summary>
    Task<ComposedMessage?> ComposeAlertAsync(ReportRecord report, CancellationToken cancellationToken);
}
