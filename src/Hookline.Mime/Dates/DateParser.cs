using System.Text;

namespace Hookline.Mime.Dates;

/// <summary>What <see cref="DateParser"/> had to assume or tolerate to read a date.</summary>
[Flags]
public enum DateAssumptions
{
    None = 0,

    /// <summary>No zone was written: +0000 was assumed.</summary>
    NoZone = 1 << 0,

    /// <summary>The zone says it is unknown ("-0000", or an RFC 822 military letter other than Z): +0000 was used.</summary>
    UnknownZone = 1 << 1,

    /// <summary>A zone that RFC 5322 does not define ("CET", "GMT+0100", ...) was read with its usual meaning.</summary>
    NonStandardZone = 1 << 2,

    /// <summary>The time had no seconds.</summary>
    NoSeconds = 1 << 3,

    /// <summary>No time of day was written: midnight was assumed.</summary>
    NoTime = 1 << 4,

    /// <summary>A two-digit year (RFC 5322 section 4.3: 00-49 are 2000-2049, 50-99 are 1950-1999).</summary>
    TwoDigitYear = 1 << 5,

    /// <summary>A three-digit year (RFC 5322 section 4.3: 1900 added).</summary>
    ThreeDigitYear = 1 << 6,

    /// <summary>Not the RFC 5322 layout: ISO 8601, asctime, month before day, numeric dates, AM/PM.</summary>
    NonStandardFormat = 1 << 7,

    /// <summary>The day of the week written does not match the date.</summary>
    DayOfWeekMismatch = 1 << 8,

    /// <summary>Second 60 (a leap second) was read as 59.</summary>
    LeapSecond = 1 << 9,

    /// <summary>The zone written cannot be an offset (beyond ±14:00, minutes of 60 or more, as spam tools write "-1900"): ignored, +0000 used.</summary>
    InvalidZone = 1 << 10,
}

/// <summary>
/// Reads dates as mail writes them: RFC 5322 section 3.3 with the obsolete forms of section 4.3
/// (optional day of week, two- and three-digit years, named and military zones, comments, extra
/// white space) and the malformed forms common in spam (ISO 8601, asctime, "GMT+0100", month
/// before day, numeric dates, missing seconds or zone). Out-of-range values give false. Never throws.
/// </summary>
public static class DateParser
{
    /// <summary>Only the start of an absurdly long value is looked at.</summary>
    private const int MaxInput = 512;

    private const int MaxTokens = 32;

    private static readonly string[] Months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private static readonly string[] Days = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private enum Kind : byte
    {
        Number,
        Word,
        Plus,
        Minus,
        Colon,
        Slash,
        Dot,
    }

    private readonly record struct Token(Kind Kind, int Start, int Length, int Value, bool SpaceBefore);

    public static bool TryParse(ReadOnlySpan<byte> raw, out DateTimeOffset value) => TryParse(raw, out value, out _);

    public static bool TryParse(string text, out DateTimeOffset value, out DateAssumptions assumptions) =>
        TryParse(System.Text.Encoding.UTF8.GetBytes(text), out value, out assumptions);

    /// <summary>Parses a Date header value; <paramref name="assumptions"/> says what had to be assumed or tolerated.</summary>
    public static bool TryParse(ReadOnlySpan<byte> raw, out DateTimeOffset value, out DateAssumptions assumptions)
    {
        value = default;
        assumptions = DateAssumptions.None;
        if (raw.Length > MaxInput)
        {
            raw = raw[..MaxInput];
        }

        Span<Token> tokens = stackalloc Token[MaxTokens];
        var count = Tokenize(raw, tokens);
        if (count == 0)
        {
            return false;
        }

        tokens = tokens[..count];
        int year = -1, month = -1, day = -1, dayOfWeek = -1;
        int hour = -1, minute = 0, second = 0;
        int? offsetMinutes = null;
        var yearDigits = 0;
        var pm = 0;
        var sawTime = false;

        for (var t = 0; t < tokens.Length; t++)
        {
            var token = tokens[t];
            switch (token.Kind)
            {
                case Kind.Number:
                    // A time: h:m[:s[.frac]]
                    if (!sawTime && t + 2 < tokens.Length && tokens[t + 1].Kind == Kind.Colon && tokens[t + 2].Kind == Kind.Number && token.Length <= 2)
                    {
                        sawTime = true;
                        hour = token.Value;
                        minute = tokens[t + 2].Value;
                        t += 2;
                        if (t + 2 < tokens.Length && tokens[t + 1].Kind == Kind.Colon && tokens[t + 2].Kind == Kind.Number)
                        {
                            second = tokens[t + 2].Value;
                            t += 2;
                            if (t + 2 < tokens.Length && tokens[t + 1].Kind == Kind.Dot && tokens[t + 2].Kind == Kind.Number)
                            {
                                t += 2;
                            }
                        }
                        else
                        {
                            assumptions |= DateAssumptions.NoSeconds;
                        }

                        continue;
                    }

                    // A numeric date: yyyy-mm-dd, yyyy/mm/dd, dd/mm/yyyy, mm/dd/yyyy, dd.mm.yyyy
                    if (year < 0 && month < 0 && t + 4 < tokens.Length && tokens[t + 1].Kind is Kind.Minus or Kind.Slash or Kind.Dot
                        && tokens[t + 2].Kind == Kind.Number && tokens[t + 3].Kind == tokens[t + 1].Kind && tokens[t + 4].Kind == Kind.Number)
                    {
                        int a = token.Value, b = tokens[t + 2].Value, c = tokens[t + 4].Value;
                        if (token.Length == 4)
                        {
                            (year, yearDigits, month, day) = (a, 4, b, c);
                        }
                        else if (tokens[t + 4].Length == 4)
                        {
                            (year, yearDigits) = (c, 4);
                            (day, month) = a > 12 || b <= 12 ? (a, b) : (b, a);
                        }
                        else
                        {
                            return false;
                        }

                        assumptions |= DateAssumptions.NonStandardFormat;
                        t += 4;
                        continue;
                    }

                    if (sawTime && year >= 0 && month >= 0 && day >= 0)
                    {
                        // "13:17:22 0530": a zone without its sign; anything else after a whole date and time is junk.
                        if (offsetMinutes is null && token.Length is >= 3 and <= 5 && tokens[t - 1].Kind == Kind.Number)
                        {
                            offsetMinutes = OffsetOrZero(token.Value / 100, token.Value % 100, 1, ref assumptions);
                            assumptions |= DateAssumptions.NonStandardZone;
                        }

                        continue;
                    }

                    if (token.Length >= 3 || token.Value > 31)
                    {
                        if (year >= 0)
                        {
                            return false;
                        }

                        (year, yearDigits) = (token.Value, token.Length);
                    }
                    else if (day < 0)
                    {
                        day = token.Value;
                        if (month >= 0)
                        {
                            // "Aug 22 2002": month before day.
                            assumptions |= DateAssumptions.NonStandardFormat;
                        }
                    }
                    else if (year < 0)
                    {
                        (year, yearDigits) = (token.Value, token.Length);
                    }
                    else
                    {
                        return false;
                    }

                    break;

                case Kind.Plus or Kind.Minus:
                    if (token.Kind == Kind.Plus && t + 1 < tokens.Length && tokens[t + 1].Kind == Kind.Minus)
                    {
                        // "+-0800"
                        break;
                    }

                    // A numeric zone, once a time was read: +hhmm, +hh, +hh:mm
                    if (sawTime && offsetMinutes is null && t + 1 < tokens.Length && tokens[t + 1].Kind == Kind.Number && !tokens[t + 1].SpaceBefore)
                    {
                        var minutes = ReadOffset(tokens, ref t, ref assumptions);
                        if (minutes == 0 && token.Kind == Kind.Minus && (assumptions & DateAssumptions.InvalidZone) == 0)
                        {
                            assumptions |= DateAssumptions.UnknownZone;
                        }

                        offsetMinutes = minutes;
                    }
                    else if (offsetMinutes is not null && t + 1 < tokens.Length && tokens[t + 1].Kind == Kind.Number && !tokens[t + 1].SpaceBefore)
                    {
                        // A second zone ("+0000 +0000"): the first one stands.
                        t++;
                    }

                    break;

                case Kind.Word:
                    var word = raw.Slice(token.Start, token.Length);
                    if (MatchName(word, Months) is var m and >= 0 && month < 0)
                    {
                        month = m + 1;
                        break;
                    }

                    if (MatchName(word, Days) is var d and >= 0)
                    {
                        dayOfWeek = d;
                        break;
                    }

                    if (word.Length == 2 && (Ascii.EqualsIgnoreCase(word, "pm"u8) || Ascii.EqualsIgnoreCase(word, "am"u8)))
                    {
                        pm = word[0] is (byte)'p' or (byte)'P' ? 1 : -1;
                        assumptions |= DateAssumptions.NonStandardFormat;
                        break;
                    }

                    if (sawTime && offsetMinutes is null && TryZoneName(word, out var zoneMinutes, out var zoneFlags))
                    {
                        // "GMT+0100", "UTC-5": the offset written after the name is what the sender meant.
                        if (t + 2 < tokens.Length && tokens[t + 1].Kind is Kind.Plus or Kind.Minus && !tokens[t + 1].SpaceBefore && tokens[t + 2].Kind == Kind.Number)
                        {
                            t++;
                            zoneMinutes = ReadOffset(tokens, ref t, ref assumptions);
                            zoneFlags = DateAssumptions.NonStandardZone;
                        }

                        offsetMinutes = zoneMinutes;
                        assumptions |= zoneFlags;
                    }

                    break;
            }
        }

        if (year < 0 || month < 1 || month > 12 || day < 1)
        {
            return false;
        }

        if (yearDigits <= 2)
        {
            year += year < 50 ? 2000 : 1900;
            assumptions |= DateAssumptions.TwoDigitYear;
        }
        else if (yearDigits == 3)
        {
            year += 1900;
            assumptions |= DateAssumptions.ThreeDigitYear;
        }

        if (year < 1 || year > 9999 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        if (!sawTime)
        {
            hour = 0;
            assumptions |= DateAssumptions.NoTime;
        }

        if (pm > 0 && hour is >= 1 and < 12)
        {
            hour += 12;
        }
        else if (pm < 0 && hour == 12)
        {
            hour = 0;
        }

        if (second == 60)
        {
            second = 59;
            assumptions |= DateAssumptions.LeapSecond;
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        if (offsetMinutes is null)
        {
            assumptions |= DateAssumptions.NoZone;
        }

        var offset = TimeSpan.FromMinutes(offsetMinutes ?? 0);
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        if (dayOfWeek >= 0 && (int)local.DayOfWeek != dayOfWeek)
        {
            assumptions |= DateAssumptions.DayOfWeekMismatch;
        }

        value = new DateTimeOffset(local, offset);
        return true;
    }

    /// <summary>Reads the number after a sign at tokens[t] as a zone offset in minutes (0 and InvalidZone when beyond ±14:00); advances t.</summary>
    private static int ReadOffset(ReadOnlySpan<Token> tokens, ref int t, ref DateAssumptions assumptions)
    {
        var sign = tokens[t].Kind == Kind.Minus ? -1 : 1;
        var number = tokens[t + 1];
        int hours, mins;
        t++;
        if (number.Length == 4 || number.Length == 3)
        {
            (hours, mins) = (number.Value / 100, number.Value % 100);
        }
        else if (number.Length <= 2)
        {
            hours = number.Value;
            mins = 0;
            if (t + 2 < tokens.Length && tokens[t + 1].Kind == Kind.Colon && tokens[t + 2].Kind == Kind.Number && tokens[t + 2].Length == 2)
            {
                mins = tokens[t + 2].Value;
                t += 2;
            }
        }
        else
        {
            assumptions |= DateAssumptions.InvalidZone;
            return 0;
        }

        return OffsetOrZero(hours, mins, sign, ref assumptions);
    }

    private static int OffsetOrZero(int hours, int mins, int sign, ref DateAssumptions assumptions)
    {
        if (mins < 60 && (hours < 14 || (hours == 14 && mins == 0)))
        {
            return sign * ((hours * 60) + mins);
        }

        assumptions |= DateAssumptions.InvalidZone;
        return 0;
    }

    /// <summary>Splits into numbers, words and punctuation; white space, commas and comments separate.</summary>
    private static int Tokenize(ReadOnlySpan<byte> raw, Span<Token> tokens)
    {
        var count = 0;
        var i = 0;
        var space = true;
        while (i < raw.Length && count < tokens.Length)
        {
            var c = raw[i];
            if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',')
            {
                space = true;
                i++;
                continue;
            }

            if (c == (byte)'(')
            {
                i = Headers.HeaderSyntax.SkipComment(raw, i, out _);
                space = true;
                continue;
            }

            var start = i;
            if (char.IsAsciiDigit((char)c))
            {
                var value = 0;
                while (i < raw.Length && char.IsAsciiDigit((char)raw[i]))
                {
                    if (i - start < 9)
                    {
                        value = (value * 10) + (raw[i] - '0');
                    }

                    i++;
                }

                // Leading zeros do not make a year long ("0002" is 4 digits but "002" stays 3).
                tokens[count++] = new Token(Kind.Number, start, Math.Min(i - start, 9), value, space);
            }
            else if (char.IsAsciiLetter((char)c))
            {
                while (i < raw.Length && char.IsAsciiLetter((char)raw[i]))
                {
                    i++;
                }

                tokens[count++] = new Token(Kind.Word, start, i - start, 0, space);
            }
            else
            {
                i++;
                var kind = c switch
                {
                    (byte)'+' => Kind.Plus,
                    (byte)'-' => Kind.Minus,
                    (byte)':' => Kind.Colon,
                    (byte)'/' => Kind.Slash,
                    (byte)'.' => Kind.Dot,
                    _ => (Kind?)null,
                };
                if (kind is { } k)
                {
                    tokens[count++] = new Token(k, start, 1, 0, space);
                }
                else
                {
                    space = true;
                    continue;
                }
            }

            space = false;
        }

        return count;
    }

    /// <summary>The index of the name that the word abbreviates (three letters at least, a prefix of the full name), or -1.</summary>
    private static int MatchName(ReadOnlySpan<byte> word, string[] names)
    {
        if (word.Length < 3)
        {
            return -1;
        }

        for (var n = 0; n < names.Length; n++)
        {
            var name = names[n];
            if (word.Length > name.Length)
            {
                continue;
            }

            var match = true;
            for (var k = 0; k < word.Length && match; k++)
            {
                match = (char)(word[k] | 0x20) == name[k];
            }

            if (match)
            {
                return n;
            }
        }

        return -1;
    }

    /// <summary>RFC 5322 zone names (obs-zone) and the common others.</summary>
    private static bool TryZoneName(ReadOnlySpan<byte> word, out int minutes, out DateAssumptions flags)
    {
        flags = DateAssumptions.None;
        Span<char> lower = stackalloc char[8];
        if (word.Length > lower.Length)
        {
            minutes = 0;
            return false;
        }

        for (var k = 0; k < word.Length; k++)
        {
            lower[k] = (char)(word[k] | 0x20);
        }

        var name = lower[..word.Length];
        int? rfc = name switch
        {
            "ut" or "utc" or "gmt" or "z" => 0,
            "est" => -5 * 60,
            "edt" => -4 * 60,
            "cst" => -6 * 60,
            "cdt" => -5 * 60,
            "mst" => -7 * 60,
            "mdt" => -6 * 60,
            "pst" => -8 * 60,
            "pdt" => -7 * 60,
            _ => null,
        };
        if (rfc is { } known)
        {
            minutes = known;
            return true;
        }

        int? other = name switch
        {
            "cet" or "met" or "mez" or "bst" or "west" or "wat" => 60,
            "cest" or "mest" or "mesz" or "eet" or "sast" or "cat" => 120,
            "eest" or "msk" or "eat" => 180,
            "wet" => 0,
            "ist" => 330,
            "sgt" or "hkt" or "awst" or "pht" or "cst8" => 480,
            "jst" or "kst" => 540,
            "acst" => 570,
            "aest" => 600,
            "aedt" => 660,
            "nzst" => 720,
            "nzdt" => 780,
            "hst" => -600,
            "akst" => -540,
            "akdt" => -480,
            "ast" => -240,
            "adt" => -180,
            "nst" => -210,
            _ => null,
        };
        if (other is { } common)
        {
            minutes = common;
            flags = DateAssumptions.NonStandardZone;
            return true;
        }

        // RFC 822 military zones: RFC 5322 section 4.3 says to read them as -0000 (unknown).
        if (name.Length == 1 && name[0] != 'j')
        {
            minutes = 0;
            flags = DateAssumptions.UnknownZone;
            return true;
        }

        minutes = 0;
        return false;
    }
}
