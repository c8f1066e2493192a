namespace Hookline.Notify;

/// <summary>
/// The settings Restore brings back. Modelled on what Microsoft's "mark as and notify" does (a text per
/// verdict, one footer, a sender mailbox, a logo), in Hookline's own words. No sender: nothing goes
/// out until an administrator names the mailbox.
/// </summary>
public static class NotificationDefaults
{
    public static NotificationSettings Settings { get; } = new()
    {
        ResultsEnabled = true,
        AcknowledgementEnabled = false,
        SenderAddress = "",
        SenderName = "Security team",
        AcknowledgementSubject = "We received your report: {originalSubject}",
        AcknowledgementText = """
            Hello {reporterName},

            Thank you for reporting the message **{originalSubject}** on {dateReported}. Our security team will look at it
            and let you know what we find. Until then, please do not open its links or attachments.
            """,
        ResultSubject = "Result of your report: {originalSubject}",
        PhishingText = """
            Hello {reporterName},

            You reported **{originalSubject}** on {dateReported}. We checked it: it is **phishing**, an attempt to steal
            sign-in details, money or data. Well spotted. We have removed it; if you clicked a link or opened an
            attachment in it, or typed a password after opening it, tell the security team now.
            """,
        SpamText = """
            Hello {reporterName},

            You reported **{originalSubject}** on {dateReported}. We checked it: it is **spam** (junk mail). It is not
            dangerous, but it is unwanted; you can delete it, and similar messages will be filtered.
            """,
        NoThreatsFoundText = """
            Hello {reporterName},

            You reported **{originalSubject}** on {dateReported}. We checked it and found **no threats**: the message
            is safe to use. Thank you for being careful, and keep reporting anything that looks wrong.
            """,
        Footer = "This message was sent automatically by your organisation's security team. Please do not reply to it.",
        AlertsEnabled = false,
        AlertRecipients = [],
        AlertMinimumScore = 80,
        AlertWebhookUrl = null,
        DailyDigest = false,
    };
}
