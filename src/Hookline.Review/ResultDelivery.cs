using Hookline.Notify;
using Hookline.Storage.Model;

namespace Hookline.Review;

/// <summary>
/// What <see cref="ResultDelivery"/> needs from outside the store: whether hookline.yaml configures a mail
/// delivery (<c>notifications.smtp</c> or <c>notifications.graph</c>, what the notification worker sends
/// through), and the organisation's own domains (a reporter outside them is not written to).
/// </summary>
/// <param name="DeliveryConfigured">A mail delivery is configured, so the notification worker has a sender.</param>
/// <param name="OrganizationDomains">The organisation's domains from its settings file (empty without one).</param>
public sealed record ResultDeliveryOptions(bool DeliveryConfigured, IReadOnlyList<string> OrganizationDomains);

/// <summary>
/// Whether marking a report can queue the reporter's result email, and if not, why: a delivery in
/// hookline.yaml (<see cref="ResultDeliveryOptions.DeliveryConfigured"/>), and in the notification
/// settings result emails switched on and a sender mailbox, and a reporter address on the report.
/// <see cref="ReviewService"/> queues nothing when one is missing and records why; the mark forms
/// disable "notify" with the same reasons, and the API answers <c>notified: false</c> with them.
/// </summary>
public sealed class ResultDelivery(ResultDeliveryOptions options, INotificationSettingsStore settings)
{
    public const string NoDelivery = "no delivery is configured (notifications.smtp or notifications.graph in hookline.yaml)";

    /// <summary>Why no result can be queued for any report now (one clause each); empty when one can.</summary>
    public async Task<IReadOnlyList<string>> BlockersAsync(CancellationToken cancellationToken)
    {
        var reasons = new List<string>(3);
        if (!options.DeliveryConfigured)
        {
            reasons.Add(NoDelivery);
        }

        reasons.AddRange(NotificationComposer.ResultBlockers(await settings.GetAsync(cancellationToken).ConfigureAwait(false)));
        return reasons;
    }

    /// <summary>Why no result can be queued for this report: the reasons for every report, and its reporter's address.</summary>
    public async Task<IReadOnlyList<string>> BlockersAsync(ReportRecord report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var reasons = (await BlockersAsync(cancellationToken).ConfigureAwait(false)).ToList();
        if (NotificationComposer.ReporterBlocker(report, options.OrganizationDomains) is { } reporter)
        {
            reasons.Add(reporter);
        }

        return reasons;
    }

    /// <summary>The reasons as one sentence's worth of clauses.</summary>
    public static string Explain(IReadOnlyList<string> reasons) => string.Join("; ", reasons);
}
