using System.Text;
using Hookline.Mime.Headers;

namespace Hookline.Mime.Tests.HeadersTests;

public class MessageIdsTests
{
    private static IReadOnlyList<string> List(string raw) => MessageIds.ParseList(Encoding.UTF8.GetBytes(raw));

    [Theory]
    [InlineData(" <1234@local.machine.example>", "1234@local.machine.example")]
    [InlineData(" <CAF=abc+123@mail.gmail.com> (Gmail)", "CAF=abc+123@mail.gmail.com")]
    [InlineData(" 1234@local.machine.example", "1234@local.machine.example")]
    [InlineData(" (comment) <a@b>", "a@b")]
    [InlineData(" <abc\r\n def@x.test>", "abcdef@x.test")]
    [InlineData(" <missing-close@x.test", "missing-close@x.test")]
    [InlineData(" <DM6PR11MB4657A1B2C3@DM6PR11MB4657.namprd11.prod.outlook.com>", "DM6PR11MB4657A1B2C3@DM6PR11MB4657.namprd11.prod.outlook.com")]
    public void ParseFirst_WhenCommonForms_ReturnsIdWithoutBrackets(string raw, string expected) =>
        Assert.Equal(expected, MessageIds.ParseFirst(Encoding.UTF8.GetBytes(raw)));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" (only a comment)")]
    [InlineData(" <>")]
    public void ParseFirst_WhenNoId_ReturnsNull(string raw) =>
        Assert.Null(MessageIds.ParseFirst(Encoding.UTF8.GetBytes(raw)));

    [Fact]
    public void ParseList_WhenReferencesFolded_ReturnsAllInOrder()
    {
        var ids = List(" <1234@local.machine.example>\r\n <3456@example.net>\r\n\t<abcd@example.net>");
        Assert.Equal(["1234@local.machine.example", "3456@example.net", "abcd@example.net"], ids);
    }

    [Fact]
    public void ParseList_WhenNoSpacesBetweenIds_SplitsAtBrackets()
    {
        Assert.Equal(["a@x", "b@y"], List("<a@x><b@y>"));
    }

    [Fact]
    public void ParseList_WhenOldInReplyToPhrase_KeepsOnlyBracketedIds()
    {
        var ids = List(" Your message of \"Mon, 5 Aug 2002 <not-an-id>\" <id1@host.test>");
        Assert.Equal(["id1@host.test"], ids);
    }

    [Fact]
    public void ParseList_WhenNoBrackets_SplitsAtWhiteSpaceAndCommas()
    {
        Assert.Equal(["a@x", "b@y", "c@z"], List(" a@x b@y,c@z (comment)"));
    }

    [Fact]
    public void ParseList_WhenHuge_IsBounded()
    {
        var raw = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("<a@b>", 50_000)));
        Assert.Equal(MessageIds.MaxIds, MessageIds.ParseList(raw).Count);
        Assert.Empty(MessageIds.ParseList(Encoding.ASCII.GetBytes(new string('<', 100_000))));
    }
}

public class EnvelopeTests
{
    private static MimeMessage Parse(string headers) => MimeMessage.Parse(Encoding.UTF8.GetBytes(headers + "\r\nbody\r\n"));

    [Fact]
    public void Envelope_WhenOutlookStyleHeaders_ParsesEveryField()
    {
        var message = Parse(
            "Return-Path: <bounce+abc@mailer.example>\r\n" +
            "From: \"Microsoft 365\" <no-reply@xn--micrsoft-t2a.example>\r\n" +
            "Sender: Bulk Sender <bulk@mailer.example>\r\n" +
            "Reply-To: help@evil.test\r\n" +
            "To: \"Doe, Jane\" <jane@corp.example>; bob@corp.example\r\n" +
            "Cc: Team: a@corp.example, b@corp.example;\r\n" +
            "Date: Mon, 4 Aug 2025 14:03:11 +0200 (CEST)\r\n" +
            "Message-ID: <DM6PR11@namprd11.prod.outlook.com>\r\n" +
            "In-Reply-To: <parent@x.test>\r\n" +
            "References: <root@x.test>\r\n <parent@x.test>\r\n" +
            "Subject: =?utf-8?q?Action_required?=\r\n");

        var from = Assert.IsType<Hookline.Mime.Addresses.MailboxAddress>(Assert.Single(message.From));
        Assert.Equal("Microsoft 365", from.Name);
        Assert.Equal("no-reply@xn--micrsoft-t2a.example", from.Address);
        Assert.Equal("bulk@mailer.example", message.Sender?.Address);
        Assert.Equal("help@evil.test", ((Hookline.Mime.Addresses.MailboxAddress)Assert.Single(message.ReplyTo)).Address);
        Assert.Equal(2, message.To.Count);
        Assert.Equal("Doe, Jane", message.To[0].Name);
        Assert.IsType<Hookline.Mime.Addresses.GroupAddress>(Assert.Single(message.Cc));
        Assert.Empty(message.Bcc);
        Assert.Equal("bounce+abc@mailer.example", message.ReturnPath);
        Assert.Equal(new DateTimeOffset(2025, 8, 4, 14, 3, 11, TimeSpan.FromHours(2)), message.Date);
        Assert.Equal(Hookline.Mime.Dates.DateAssumptions.None, message.DateAssumptions);
        Assert.Equal("DM6PR11@namprd11.prod.outlook.com", message.MessageId);
        Assert.Equal(["parent@x.test"], message.InReplyTo);
        Assert.Equal(["root@x.test", "parent@x.test"], message.References);
        Assert.Equal("Action required", message.Subject);
        Assert.Empty(message.Warnings);
    }

    [Fact]
    public void Envelope_WhenFieldsMissing_ReturnsEmptyOrNull()
    {
        var message = Parse("Subject: hi\r\n");
        Assert.Empty(message.From);
        Assert.Null(message.Sender);
        Assert.Empty(message.To);
        Assert.Null(message.ReturnPath);
        Assert.Null(message.Date);
        Assert.Null(message.MessageId);
        Assert.Empty(message.InReplyTo);
        Assert.Empty(message.References);
        Assert.Empty(message.Warnings);
    }

    [Fact]
    public void Envelope_WhenToRepeated_GathersAllFields()
    {
        var message = Parse("To: a@x.test\r\nTo: b@y.test, c@z.test\r\n");
        Assert.Equal(3, message.To.Count);
    }

    [Fact]
    public void Envelope_WhenNullReturnPath_ReturnsEmptyString()
    {
        Assert.Equal(string.Empty, Parse("Return-Path: <>\r\n").ReturnPath);
    }

    [Fact]
    public void Envelope_WhenDateUnreadable_WarnsAtTheFieldOffset()
    {
        var message = Parse("Subject: x\r\nDate: not a date\r\n");
        Assert.Null(message.Date);
        var warning = Assert.Single(message.Warnings);
        Assert.Equal(MimeWarningCode.InvalidDate, warning.Code);
        Assert.Equal("Subject: x\r\nDate:".Length, warning.Offset);
    }

    [Fact]
    public void Envelope_WhenFromBroken_WarnsWithOffsetInsideTheField()
    {
        var message = Parse("From: John <john@\r\n");
        Assert.Single(message.From);
        Assert.NotEmpty(message.Warnings);
        Assert.All(message.Warnings, w =>
        {
            Assert.Equal(MimeWarningCode.InvalidAddress, w.Code);
            Assert.InRange(w.Offset, "From:".Length, "From: John <john@".Length);
        });
    }

    [Fact]
    public void Envelope_WhenAccessedTwice_ParsesOnce()
    {
        var message = Parse("From: John <john@\r\n");
        _ = message.From;
        var count = message.Warnings.Count;
        Assert.Same(message.From, message.From);
        Assert.Equal(count, message.Warnings.Count);
    }
}
