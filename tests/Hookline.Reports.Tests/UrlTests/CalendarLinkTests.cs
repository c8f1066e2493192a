using System.Text;
using Hookline.Reports.Analysis.Attachments;
using Hookline.Reports.Analysis.Text;
using Hookline.Reports.Analysis.Urls;

namespace Hookline.Reports.Tests.UrlTests;

/// <summary>Links in calendar invitations: an attached .ics and a meeting request's own text/calendar part.</summary>
public sealed class CalendarLinkTests
{
    // DESCRIPTION folded at 75 octets (RFC 5545 3.1), with text escapes: the link is cut across two lines.
    private const string Invitation = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Q4 Payment Review\r\n"
        + "DESCRIPTION:Please review the documents before the meeting\\, here: https://meridian-doc\r\n"
        + " s.example/view?u=anna@contoso.com\\nThanks\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    [Fact]
    public void Read_WhenLinesAreFoldedAndEscaped_JoinsAndUnescapesThem()
    {
        var text = CalendarText.Read(Invitation);

        Assert.Contains("meeting, here: https://meridian-docs.example/view?u=anna@contoso.com\nThanks", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text", "calendar", null, true)]
    [InlineData("application", "ics", null, true)]
    [InlineData("application", "octet-stream", "ics", true)]
    [InlineData("text", "plain", null, false)]
    public void IsCalendar_TellsCalendarObjects(string type, string subtype, string? extension, bool calendar)
    {
        Assert.Equal(calendar, CalendarText.IsCalendar(type, subtype, extension));
    }

    [Fact]
    public void Analyze_WhenAnInvitationIsAttached_FindsItsWholeLink()
    {
        var result = ContentMessages.Run(new AttachmentAnalyzer(), ContentMessages.WithAttachment("invite.ics", "text/calendar", Encoding.UTF8.GetBytes(Invitation)));

        var url = Assert.Single(result.Urls);
        Assert.Equal("https://meridian-docs.example/view?u=anna@contoso.com", url.Url);
        Assert.Equal(UrlSource.Calendar, url.Source);
    }

    [Fact]
    public void Analyze_WhenAnAttachedInvitationCarriesALure_ReadsItsText()
    {
        var invitation = Invitation.Replace("Please review the documents", "Verify your account", StringComparison.Ordinal);

        var result = ContentMessages.RunAll([new AttachmentAnalyzer(), new MessageTextReader(), new IntentAnalyzer()], ContentMessages.WithAttachment("invite.ics", "application/ics", Encoding.UTF8.GetBytes(invitation), "You are invited."));

        Assert.Contains("intent.credential", result.Signals());
    }

    [Fact]
    public void Analyze_WhenTheMeetingRequestIsInline_FindsItsWholeLink()
    {
        var mime = "From: a@b.example\r\nTo: anna@contoso.com\r\nSubject: Invitation\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\n" + Invitation;

        var result = ContentMessages.Run(new UrlAnalyzer(), mime);

        var url = Assert.Single(result.Urls);
        Assert.Equal("https://meridian-docs.example/view?u=anna@contoso.com", url.Url);
        Assert.Equal(UrlSource.Calendar, url.Source);
    }
}
