using System.Text;
using Hookline.Mime.Dates;

namespace Hookline.Mime.Tests.DatesTests;

public class DateParserTests
{
    private static DateTimeOffset ParseOk(string raw, out DateAssumptions assumptions)
    {
        Assert.True(DateParser.TryParse(Encoding.UTF8.GetBytes(raw), out var value, out assumptions), raw);
        return value;
    }

    [Theory]
    // RFC 5322 Appendix A
    [InlineData("Fri, 21 Nov 1997 09:55:06 -0600", "1997-11-21T09:55:06-06:00")]
    [InlineData("Tue, 1 Jul 2003 10:52:37 +0200", "2003-07-01T10:52:37+02:00")]
    [InlineData("Thu, 13 Feb 1969 23:32:54 -0330", "1969-02-13T23:32:54-03:30")]
    [InlineData("21 Nov 97 09:55:06 GMT", "1997-11-21T09:55:06+00:00")]
    [InlineData("Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n               -0330 (Newfoundland Time)", "1969-02-13T23:32:00-03:30")]
    // Outlook / Exchange, Gmail, Apple Mail
    [InlineData(" Mon, 4 Aug 2025 14:03:11 +0000", "2025-08-04T14:03:11+00:00")]
    [InlineData(" Mon, 04 Aug 2025 07:03:11 -0700 (PDT)", "2025-08-04T07:03:11-07:00")]
    [InlineData(" Mon, 5 Aug 2002 10:27:37 +0200 (CEST)", "2002-08-05T10:27:37+02:00")]
    [InlineData("4 Aug 2025 14:03:11 +0000", "2025-08-04T14:03:11+00:00")]
    public void TryParse_WhenRfc5322Dates_ReadsExactValue(string raw, string expected)
    {
        var value = ParseOk(raw, out _);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, value.Offset);
    }

    [Theory]
    [InlineData("Fri, 21 Nov 1997 09:55:06 EST", -5 * 60)]
    [InlineData("Fri, 21 Nov 1997 09:55:06 EDT", -4 * 60)]
    [InlineData("Fri, 21 Nov 1997 09:55:06 CST", -6 * 60)]
    [InlineData("Fri, 21 Nov 1997 09:55:06 MDT", -6 * 60)]
    [InlineData("Fri, 21 Nov 1997 09:55:06 PST", -8 * 60)]
    [InlineData("Fri, 21 Nov 1997 09:55:06 UT", 0)]
    [InlineData("Fri, 21 Nov 1997 09:55:06 Z", 0)]
    [InlineData("Fri, 21 Nov 1997 09:55:06 gmt", 0)]
    public void TryParse_WhenObsoleteZoneNames_UsesTheirOffset(string raw, int minutes)
    {
        var value = ParseOk(raw, out var assumptions);
        Assert.Equal(TimeSpan.FromMinutes(minutes), value.Offset);
        Assert.Equal(DateAssumptions.None, assumptions);
    }

    [Theory]
    [InlineData("Fri, 21 Nov 1997 09:55:06 -0000", DateAssumptions.UnknownZone)]
    [InlineData("Fri, 21 Nov 1997 09:55:06 A", DateAssumptions.UnknownZone)]
    [InlineData("Fri, 21 Nov 1997 09:55:06", DateAssumptions.NoZone)]
    [InlineData("Fri, 21 Nov 1997 09:55 +0000", DateAssumptions.NoSeconds)]
    [InlineData("Fri, 21 Nov 97 09:55:06 +0000", DateAssumptions.TwoDigitYear)]
    [InlineData("Fri, 21 Nov 097 09:55:06 +0000", DateAssumptions.ThreeDigitYear)]
    [InlineData("Fri, 21 Nov 1997 09:55:06 CET", DateAssumptions.NonStandardZone)]
    [InlineData("Mon, 21 Nov 1997 09:55:06 +0000", DateAssumptions.DayOfWeekMismatch)]
    [InlineData("Fri, 21 Nov 1997", DateAssumptions.NoTime | DateAssumptions.NoZone)]
    [InlineData("Sat, 31 Dec 2016 23:59:60 +0000", DateAssumptions.LeapSecond)]
    // Spam tools: impossible zones are ignored, not trusted.
    [InlineData("Wed, 17 Jul 2002 15:36:39 -1900", DateAssumptions.InvalidZone)]
    [InlineData("Fri, 21 Nov 1997 09:55:06 +2500", DateAssumptions.InvalidZone)]
    [InlineData("Fri, 21 Nov 1997 09:55:06 +0199", DateAssumptions.InvalidZone)]
    [InlineData("Fri, 21 Nov 1997 09:55:06 +123456", DateAssumptions.InvalidZone)]
    [InlineData("Sun, 25 Aug 2002 19:21:44 01800", DateAssumptions.InvalidZone | DateAssumptions.NonStandardZone)]
    [InlineData("Fri, 02 Aug 2002 23:37:59 0530", DateAssumptions.NonStandardZone)]
    [InlineData("Fri, 19 Jul 2002 09:42:07 -0400    AWL version=2.40", DateAssumptions.None)]
    public void TryParse_WhenSomethingAssumed_ReportsIt(string raw, DateAssumptions expected)
    {
        ParseOk(raw, out var assumptions);
        Assert.Equal(expected, assumptions);
    }

    [Theory]
    [InlineData("21 Nov 49 09:55:06 +0000", 2049)]
    [InlineData("21 Nov 50 09:55:06 +0000", 1950)]
    [InlineData("21 Nov 00 09:55:06 +0000", 2000)]
    [InlineData("21 Nov 102 09:55:06 +0000", 2002)]
    public void TryParse_WhenShortYear_AppliesRfc5322Rules(string raw, int year) =>
        Assert.Equal(year, ParseOk(raw, out _).Year);

    [Theory]
    [InlineData("2002-08-22 13:17:22", "2002-08-22T13:17:22+00:00")]
    [InlineData("2002-08-22T13:17:22Z", "2002-08-22T13:17:22+00:00")]
    [InlineData("2002-08-22T13:17:22.123+02:00", "2002-08-22T13:17:22+02:00")]
    [InlineData("2002-08-22T13:17:22-0500", "2002-08-22T13:17:22-05:00")]
    [InlineData("Thu, 22 Aug 2002 13:17:22 GMT+0100", "2002-08-22T13:17:22+01:00")]
    [InlineData("Thu, 22 Aug 2002 13:17:22 UTC-5", "2002-08-22T13:17:22-05:00")]
    [InlineData("Thu Aug 22 13:17:22 2002", "2002-08-22T13:17:22+00:00")]
    [InlineData("Thursday, August 22, 2002 1:17:22 PM", "2002-08-22T13:17:22+00:00")]
    [InlineData("Aug 22, 2002 13:17:22 +0000", "2002-08-22T13:17:22+00:00")]
    [InlineData("22-Aug-2002 13:17:22 +0000", "2002-08-22T13:17:22+00:00")]
    [InlineData("22/08/2002 13:17", "2002-08-22T13:17:00+00:00")]
    [InlineData("08/22/2002 13:17", "2002-08-22T13:17:00+00:00")]
    [InlineData("22.08.2002 13:17:22 +0200", "2002-08-22T13:17:22+02:00")]
    [InlineData("Thu,  22  Aug  2002  13:17:22  +0000,", "2002-08-22T13:17:22+00:00")]
    [InlineData("Thu, 22 Sept 2002 13:17:22 +0000", "2002-09-22T13:17:22+00:00")]
    [InlineData("Thu, 22 Aug 2002 13:17:22 +0000 +0000", "2002-08-22T13:17:22+00:00")]
    [InlineData("Thu, 22 Aug 2002 12:00:00 AM +0000", "2002-08-22T00:00:00+00:00")]
    [InlineData("Thu, 18 Jul 2002 14:57:14 +-0800", "2002-07-18T14:57:14-08:00")]
    [InlineData("Fri, 02 Aug 2002 23:37:59 0530", "2002-08-02T23:37:59+05:30")]
    [InlineData("Wed, 17 Jul 2002 15:36:39 -1900", "2002-07-17T15:36:39+00:00")]
    public void TryParse_WhenMalformedButCommon_ReadsIt(string raw, string expected)
    {
        var value = ParseOk(raw, out _);
        var want = DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(want, value);
        Assert.Equal(want.Offset, value.Offset);
    }

    [Fact]
    public void TryParse_WhenIsoWithoutZone_SaysNoZone()
    {
        ParseOk("2002-08-22 13:17:22", out var assumptions);
        Assert.True(assumptions.HasFlag(DateAssumptions.NoZone));
        Assert.True(assumptions.HasFlag(DateAssumptions.NonStandardFormat));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("yesterday")]
    [InlineData("Fri, 32 Nov 1997 09:55:06 +0000")]
    [InlineData("Fri, 29 Feb 1997 09:55:06 +0000")]
    [InlineData("Fri, 21 Foo 1997 09:55:06 +0000")]
    [InlineData("Fri, 21 Nov 1997 25:55:06 +0000")]
    [InlineData("Fri, 21 Nov 1997 09:61:06 +0000")]
    [InlineData("Fri, 21 Nov 1997 09:55:61 +0000")]
    [InlineData("Fri, 21 Nov 99999 09:55:06 +0000")]
    [InlineData("1 Jan 0001 00:00:00 +0100")]
    [InlineData("31 Dec 9999 23:59:59 -0100")]
    [InlineData("Fri, 21 Nov 09:55:06 +0000")]
    [InlineData("21 Nov 1997 1998 09:55:06")]
    [InlineData("99999999999999999999 Nov 1997")]
    [InlineData("2002-13-22 13:17:22")]
    [InlineData("(((((((((")]
    public void TryParse_WhenInvalidOrOutOfRange_ReturnsFalse(string raw)
    {
        Assert.False(DateParser.TryParse(Encoding.UTF8.GetBytes(raw), out var value));
        Assert.Equal(default, value);
    }

    [Fact]
    public void TryParse_WhenHugeInput_IsBounded()
    {
        var raw = Encoding.ASCII.GetBytes("Fri, 21 Nov 1997 09:55:06 +0000 " + new string('x', 1_000_000));
        Assert.True(DateParser.TryParse(raw, out var value));
        Assert.Equal(1997, value.Year);
        Assert.False(DateParser.TryParse(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1 ", 500_000))), out _));
    }

    [Fact]
    public void TryParse_WhenNoAssumptionsOverload_MatchesFullOverload()
    {
        Assert.True(DateParser.TryParse("Fri, 21 Nov 1997 09:55:06 -0600"u8, out var value));
        Assert.Equal(new DateTimeOffset(1997, 11, 21, 9, 55, 6, TimeSpan.FromHours(-6)), value);
    }
}
