using System.Buffers;
using System.Text;
using Hookline.Mime.Headers;
using Hookline.Mime.Text;

namespace Hookline.Mime.Addresses;

/// <summary>
/// Parses address lists (RFC 5322 section 3.4, the obsolete forms of section 4.4, RFC 6531 UTF-8)
/// and the broken forms real mail carries: comments anywhere, "a@b (Name)", bare and bracketed
/// addresses, groups, source routes, ";" between addresses (Outlook), missing commas, missing
/// "&gt;", missing domains, doubled "@", unbalanced quotes and parentheses, display names that are
/// unquoted addresses. Never throws: a damaged item gives an <see cref="MimeWarningCode.InvalidAddress"/>
/// warning and whatever could be recovered. Linear in the input; the number of addresses is bounded.
/// </summary>
public static class AddressParser
{
    /// <summary>Most mailboxes read from one field; the rest is dropped with a warning.</summary>
    public const int MaxAddresses = 10_000;

    private static readonly SearchValues<byte> CompactStops = SearchValues.Create(" \t\r\n(\"\\"u8);

    /// <summary>Most warnings one field adds.</summary>
    private const int MaxWarnings = 32;

    /// <summary>Parses an address list as written in a header value (raw bytes, possibly folded).</summary>
    public static IReadOnlyList<InternetAddress> ParseList(ReadOnlySpan<byte> rawValue, List<MimeWarning>? warnings = null, long offset = 0)
    {
        var parser = new Parser(rawValue, warnings, offset);
        return parser.ParseList();
    }

    /// <summary>Parses an address list given as text.</summary>
    public static IReadOnlyList<InternetAddress> ParseList(string text, List<MimeWarning>? warnings = null) =>
        ParseList(Encoding.UTF8.GetBytes(text), warnings);

    /// <summary>Parses an address list and returns every mailbox, group members included, in order.</summary>
    public static IReadOnlyList<MailboxAddress> ParseMailboxes(ReadOnlySpan<byte> rawValue, List<MimeWarning>? warnings = null, long offset = 0) =>
        Flatten(ParseList(rawValue, warnings, offset));

    /// <summary>The first mailbox of a value (for Sender), or null when there is none.</summary>
    public static MailboxAddress? ParseMailbox(ReadOnlySpan<byte> rawValue, List<MimeWarning>? warnings = null, long offset = 0)
    {
        var all = ParseMailboxes(rawValue, warnings, offset);
        return all.Count == 0 ? null : all[0];
    }

    /// <summary>Every mailbox of a list, with group members in place of their group.</summary>
    public static IReadOnlyList<MailboxAddress> Flatten(IReadOnlyList<InternetAddress> addresses)
    {
        var result = new List<MailboxAddress>(addresses.Count);
        foreach (var address in addresses)
        {
            switch (address)
            {
                case MailboxAddress mailbox:
                    result.Add(mailbox);
                    break;
                case GroupAddress group:
                    result.AddRange(group.Members);
                    break;
            }
        }

        return result;
    }

    private ref struct Parser
    {
        private readonly ReadOnlySpan<byte> _raw;
        private readonly RawTextKind _kind;
        private readonly List<MimeWarning>? _warnings;
        private readonly long _offset;
        private int _warningCount;
        private int _mailboxCount;
        private bool _quotesBroken;
        private bool _commentsBroken;
        private int _commentStart;
        private int _commentEnd;

        public Parser(ReadOnlySpan<byte> raw, List<MimeWarning>? warnings, long offset)
        {
            _raw = raw;
            _kind = CharBuilder.Classify(raw);
            _warnings = warnings;
            _offset = offset;
            _commentStart = -1;
        }

        public List<InternetAddress> ParseList()
        {
            var result = new List<InternetAddress>();
            var i = 0;
            while (i < _raw.Length)
            {
                i = SkipSeparators(i, groupEnds: false);
                if (i >= _raw.Length)
                {
                    break;
                }

                if (_mailboxCount >= MaxAddresses)
                {
                    Warn(i, $"More than {MaxAddresses} addresses; the rest are ignored.");
                    break;
                }

                var before = i;
                var address = ParseAddress(ref i, inGroup: false);
                if (address is not null)
                {
                    result.Add(address);
                }

                if (i == before)
                {
                    i++;
                }
            }

            return result;
        }

        private InternetAddress? ParseAddress(ref int i, bool inGroup)
        {
            var start = i;
            _commentStart = -1;
            var stop = ScanWords(start, colonIsSpecial: !inGroup);
            while (stop < _raw.Length && _raw[stop] == (byte)'>')
            {
                Warn(stop, "Stray '>' in an address.");
                start = stop + 1;
                stop = ScanWords(start, colonIsSpecial: !inGroup);
            }

            if (stop >= _raw.Length || _raw[stop] is (byte)',' or (byte)';')
            {
                i = stop;
                return BareWords(start, stop);
            }

            return _raw[stop] switch
            {
                (byte)'<' => ParseAngle(start, stop, ref i),
                (byte)':' => ParseGroup(start, stop, ref i),
                _ => ParseAddrSpec(start, stop, ref i),
            };
        }

        /// <summary>Words with no "@" and no brackets: an address without a domain (or only a name).</summary>
        private MailboxAddress? BareWords(int start, int end)
        {
            var written = Compact(start, end, unquote: false);
            if (written.Length == 0)
            {
                return null;
            }

            _mailboxCount++;
            var localStart = FindLocalStart(start, end);
            var onlyQuoted = written.Length > 1 && written[0] == '"' && written[^1] == '"' && localStart == start;
            if (localStart == start && !onlyQuoted)
            {
                Warn(start, $"Address \"{Shorten(written)}\" has no domain.");
                return new MailboxAddress(null, Compact(start, end, unquote: true), string.Empty, written);
            }

            Warn(start, "A name with no address.");
            return new MailboxAddress(PhraseName(start, end), string.Empty, string.Empty, string.Empty);
        }

        /// <summary>An addr-spec found at the top level ("a@b", "a@b (Name)"), or an unquoted display name ending in "&lt;".</summary>
        private InternetAddress ParseAddrSpec(int start, int at, ref int i)
        {
            var localStart = FindLocalStart(start, at);
            var localWritten = Compact(localStart, at, unquote: false);
            var localPlain = Compact(localStart, at, unquote: true);
            var j = at + 1;
            var domain = ParseDomain(ref j, localStart, ref localWritten, ref localPlain);

            _commentStart = -1;
            var k = SkipCfwsRecordingComment(j);
            if (k < _raw.Length && _raw[k] == (byte)'<')
            {
                // "support@bank.test <evil@x.test>": everything before "<" is the display name.
                return ParseAngle(start, k, ref i);
            }

            if (k < _raw.Length && _raw[k] == (byte)'>')
            {
                Warn(k, "Stray '>' after an address.");
                k = SkipCfwsRecordingComment(k + 1);
            }

            string? name = null;
            if (_commentStart >= 0)
            {
                name = NullIfEmpty(HeaderText.DecodeComment(_raw[_commentStart.._commentEnd]));
            }

            if (localStart > start)
            {
                Warn(start, "Display name without angle brackets.");
                name ??= PhraseName(start, localStart);
            }

            if (k < _raw.Length && _raw[k] is not ((byte)',' or (byte)';'))
            {
                Warn(k, "Missing ',' between addresses.");
            }

            i = k;
            _mailboxCount++;
            return new MailboxAddress(name, localPlain, domain, localWritten + "@" + domain);
        }

        /// <summary>"name &lt;addr&gt;" from the "&lt;" on, with obs-route, missing "&gt;" and junk tolerated.</summary>
        private MailboxAddress ParseAngle(int nameStart, int lt, ref int i)
        {
            var name = PhraseName(nameStart, lt);
            var j = lt + 1;
            while (j < _raw.Length && _raw[j] == (byte)'<')
            {
                j++;
            }

            j = HeaderSyntax.SkipCfws(_raw, j);
            List<string>? route = null;
            if (j < _raw.Length && _raw[j] == (byte)'@')
            {
                route = ParseRoute(ref j);
            }

            var s = j;
            var stop = ScanWords(s, colonIsSpecial: true);
            while (stop < _raw.Length)
            {
                var c = _raw[stop];
                if (c is (byte)':' or (byte)'<')
                {
                    // "<mailto:a@b>", "<Undisclosed-Recipient:;>", "<<a@b>": keep what follows.
                    Warn(stop, $"Unexpected '{(char)c}' inside angle brackets.");
                    s = stop + 1;
                    stop = ScanWords(s, colonIsSpecial: true);
                }
                else if (c is (byte)',' or (byte)';' && CloseAngleAhead(stop + 1))
                {
                    stop = ScanWords(stop + 1, colonIsSpecial: true);
                }
                else
                {
                    break;
                }
            }

            string localPlain;
            string localWritten;
            var domain = string.Empty;
            string address;
            if (stop < _raw.Length && _raw[stop] == (byte)'@')
            {
                var localStart = FindLocalStart(s, stop);
                if (localStart > s)
                {
                    Warn(s, "Extra words before the address inside angle brackets.");
                }

                localWritten = Compact(localStart, stop, unquote: false);
                localPlain = Compact(localStart, stop, unquote: true);
                j = stop + 1;
                domain = ParseDomain(ref j, localStart, ref localWritten, ref localPlain);
                address = localWritten + "@" + domain;
            }
            else
            {
                localWritten = Compact(s, stop, unquote: false);
                localPlain = Compact(s, stop, unquote: true);
                address = localWritten;
                Warn(s, localWritten.Length == 0 ? "Empty address <>." : $"Address \"{Shorten(localWritten)}\" has no domain.");
                j = stop;
            }

            j = HeaderSyntax.SkipCfws(_raw, j);
            if (j < _raw.Length && _raw[j] == (byte)'>')
            {
                j++;
                while (j < _raw.Length && _raw[j] == (byte)'>')
                {
                    j++;
                }
            }
            else
            {
                var k = j;
                while (k < _raw.Length && _raw[k] is not ((byte)'>' or (byte)',' or (byte)';'))
                {
                    k++;
                }

                Warn(j, k < _raw.Length && _raw[k] == (byte)'>' ? "Unexpected text inside angle brackets." : "Missing '>'.");
                j = k < _raw.Length && _raw[k] == (byte)'>' ? k + 1 : k;
            }

            i = j;
            _mailboxCount++;
            return new MailboxAddress(name, localPlain, domain, address, route);
        }

        /// <summary>obs-route: "@a,@b:" before the addr-spec inside angle brackets.</summary>
        private List<string> ParseRoute(ref int j)
        {
            var route = new List<string>();
            while (j < _raw.Length && _raw[j] == (byte)'@')
            {
                var s = HeaderSyntax.SkipCfws(_raw, j + 1);
                var k = s;
                while (k < _raw.Length && IsDomainByte(_raw[k]) || (k < _raw.Length && _raw[k] == (byte)'.'))
                {
                    k++;
                }

                if (k > s && route.Count < 64)
                {
                    route.Add(Text(_raw[s..k]));
                }

                j = HeaderSyntax.SkipCfws(_raw, k);
                while (j < _raw.Length && _raw[j] == (byte)',')
                {
                    j = HeaderSyntax.SkipCfws(_raw, j + 1);
                }
            }

            if (j < _raw.Length && _raw[j] == (byte)':')
            {
                j = HeaderSyntax.SkipCfws(_raw, j + 1);
            }
            else
            {
                Warn(j, "Source route without ':'.");
            }

            return route;
        }

        private GroupAddress ParseGroup(int nameStart, int colon, ref int i)
        {
            var name = PhraseName(nameStart, colon);
            var members = new List<MailboxAddress>();
            var j = colon + 1;
            while (true)
            {
                j = SkipSeparators(j, groupEnds: true);
                if (j >= _raw.Length)
                {
                    Warn(colon, $"Group \"{Shorten(name ?? string.Empty)}\" is not closed with ';'.");
                    break;
                }

                if (_raw[j] == (byte)';')
                {
                    j++;
                    break;
                }

                if (_mailboxCount >= MaxAddresses)
                {
                    Warn(j, $"More than {MaxAddresses} addresses; the rest are ignored.");
                    j = _raw.Length;
                    break;
                }

                var before = j;
                if (ParseAddress(ref j, inGroup: true) is MailboxAddress member)
                {
                    members.Add(member);
                }

                if (j == before)
                {
                    j++;
                }
            }

            i = j;
            return new GroupAddress(name, members);
        }

        /// <summary>The domain after "@": dot-atoms (CFWS around dots allowed), a domain literal, or empty. A second "@" moves what came before into the local part.</summary>
        private string ParseDomain(ref int j, int localStart, ref string localWritten, ref string localPlain)
        {
            var at = j - 1;
            var lastAt = -1;
            j = HeaderSyntax.SkipCfws(_raw, j);
            if (j < _raw.Length && _raw[j] == (byte)'[')
            {
                var k = j + 1;
                while (k < _raw.Length && _raw[k] is not ((byte)']' or (byte)',' or (byte)';' or (byte)'>' or (byte)'<'))
                {
                    k++;
                }

                if (k < _raw.Length && _raw[k] == (byte)']')
                {
                    k++;
                }
                else
                {
                    Warn(j, "Unterminated domain literal.");
                }

                var literal = Compact(j, k, unquote: false);
                j = k;
                return literal;
            }

            var domainStart = j;
            var end = j;
            while (true)
            {
                while (j < _raw.Length && IsDomainByte(_raw[j]))
                {
                    j++;
                }

                end = j;
                var t = HeaderSyntax.SkipCfws(_raw, j);
                if (t < _raw.Length && _raw[t] == (byte)'.')
                {
                    j = HeaderSyntax.SkipCfws(_raw, t + 1);
                    end = j;
                    continue;
                }

                if (t < _raw.Length && _raw[t] == (byte)'@')
                {
                    if (lastAt < 0)
                    {
                        Warn(t, "More than one '@' in an address.");
                    }

                    lastAt = t;
                    j = HeaderSyntax.SkipCfws(_raw, t + 1);
                    domainStart = j;
                    continue;
                }

                break;
            }

            if (lastAt >= 0)
            {
                // "a@b@c": everything before the last "@" is the local part.
                localWritten = Compact(localStart, lastAt, unquote: false);
                localPlain = Compact(localStart, lastAt, unquote: true);
            }

            j = end;
            var domain = Compact(domainStart, end, unquote: false);
            if (domain.Length == 0)
            {
                Warn(at, "Address has no domain after '@'.");
            }

            return domain;
        }

        /// <summary>Skips white space, comments, quoted strings, atoms and dots; stops at "@", "&lt;", "&gt;", ",", ";", ":" (when special) or the end.</summary>
        private int ScanWords(int i, bool colonIsSpecial)
        {
            while (i < _raw.Length)
            {
                var c = _raw[i];
                switch (c)
                {
                    case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n':
                        i++;
                        break;
                    case (byte)'(':
                        i = SkipCommentRecording(i);
                        break;
                    case (byte)'"':
                        i = SkipQuoted(i);
                        break;
                    case (byte)'@' or (byte)'<' or (byte)'>' or (byte)',' or (byte)';':
                        return i;
                    case (byte)':' when colonIsSpecial:
                        return i;
                    case (byte)'=':
                        // An encoded word is one word: specials inside it ("=?utf-8?q?PayPal_<a@b>?=") are text.
                        var end = EncodedWords.WordEnd(_raw, i);
                        i = end > 0 ? end : i + 1;
                        break;
                    default:
                        i++;
                        break;
                }
            }

            return i;
        }

        /// <summary>True when a "&gt;" comes soon after <paramref name="i"/>, before any "&lt;": a "," or ";" there is inside the brackets.</summary>
        private readonly bool CloseAngleAhead(int i)
        {
            var end = Math.Min(_raw.Length, i + 256);
            for (var k = i; k < end; k++)
            {
                if (_raw[k] == (byte)'>')
                {
                    return true;
                }

                if (_raw[k] == (byte)'<')
                {
                    return false;
                }
            }

            return false;
        }

        private int SkipCommentRecording(int i)
        {
            if (_commentsBroken)
            {
                return i + 1;
            }

            var j = HeaderSyntax.SkipComment(_raw, i, out var terminated);
            if (!terminated)
            {
                _commentsBroken = true;
                Warn(i, "Unterminated comment.");
                return i + 1;
            }

            _commentStart = i + 1;
            _commentEnd = j - 1;
            return j;
        }

        private int SkipQuoted(int i)
        {
            if (_quotesBroken)
            {
                return i + 1;
            }

            var j = QuotedEnd(i);
            if (j < 0)
            {
                _quotesBroken = true;
                Warn(i, "Unterminated quoted string.");
                return i + 1;
            }

            return j;
        }

        /// <summary>The index after the closing quote of the quoted string at <paramref name="i"/>, or -1.</summary>
        private readonly int QuotedEnd(int i)
        {
            var j = i + 1;
            while (j < _raw.Length)
            {
                var c = _raw[j];
                if (c == (byte)'\\')
                {
                    j += 2;
                    continue;
                }

                if (c == (byte)'"')
                {
                    return j + 1;
                }

                j++;
            }

            return -1;
        }

        private int SkipCfwsRecordingComment(int i)
        {
            while (i < _raw.Length)
            {
                var c = _raw[i];
                if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    i++;
                }
                else if (c == (byte)'(' && !_commentsBroken)
                {
                    i = SkipCommentRecording(i);
                }
                else
                {
                    break;
                }
            }

            return i;
        }

        private readonly int SkipSeparators(int i, bool groupEnds)
        {
            while (i < _raw.Length)
            {
                var c = _raw[i];
                if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',' || (c == (byte)';' && !groupEnds))
                {
                    i++;
                }
                else if (c == (byte)'(' && !_commentsBroken)
                {
                    var j = HeaderSyntax.SkipComment(_raw, i, out var terminated);
                    if (!terminated)
                    {
                        break;
                    }

                    i = j;
                }
                else
                {
                    break;
                }
            }

            return i;
        }

        /// <summary>Where the local part starts in [start, end): after the last white space that separates two words not joined by a dot.</summary>
        private readonly int FindLocalStart(int start, int end)
        {
            var localStart = start;
            var lastWasWord = false;
            var gap = false;
            var j = start;
            while (j < end)
            {
                var c = _raw[j];
                if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    gap |= lastWasWord;
                    j++;
                }
                else if (c == (byte)'(' && !_commentsBroken)
                {
                    var k = HeaderSyntax.SkipComment(_raw, j, out var terminated);
                    gap |= lastWasWord;
                    j = terminated ? Math.Min(k, end) : j + 1;
                }
                else if (c == (byte)'.')
                {
                    lastWasWord = false;
                    gap = false;
                    j++;
                }
                else
                {
                    if (lastWasWord && gap)
                    {
                        localStart = j;
                    }

                    lastWasWord = true;
                    gap = false;
                    var k = c == (byte)'"' && !_quotesBroken ? QuotedEnd(j) : -1;
                    if (k > 0)
                    {
                        j = Math.Min(k, end);
                    }
                    else
                    {
                        j++;
                        while (j < end && _raw[j] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'(' or (byte)'.' or (byte)'"'))
                        {
                            j++;
                        }
                    }
                }
            }

            return localStart;
        }

        /// <summary>The text of [start, end) without white space and comments; quoted strings kept as written or unquoted.</summary>
        private readonly string Compact(int start, int end, bool unquote)
        {
            var span = _raw[start..end];
            if (span.IndexOfAny(CompactStops) < 0)
            {
                return Text(span);
            }

            var buffer = ArrayPool<byte>.Shared.Rent(span.Length);
            try
            {
                var n = 0;
                var j = 0;
                while (j < span.Length)
                {
                    var c = span[j];
                    if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                    {
                        j++;
                    }
                    else if (c == (byte)'(' && !_commentsBroken)
                    {
                        var k = HeaderSyntax.SkipComment(span, j, out var terminated);
                        j = terminated ? k : j + 1;
                    }
                    else if (c == (byte)'"' && !_quotesBroken)
                    {
                        var k = j + 1;
                        if (!unquote)
                        {
                            buffer[n++] = c;
                        }

                        while (k < span.Length && span[k] != (byte)'"')
                        {
                            if (span[k] == (byte)'\\' && k + 1 < span.Length)
                            {
                                if (!unquote)
                                {
                                    buffer[n++] = span[k];
                                }

                                k++;
                            }

                            if (span[k] is not ((byte)'\r' or (byte)'\n'))
                            {
                                buffer[n++] = span[k];
                            }

                            k++;
                        }

                        if (k < span.Length && !unquote)
                        {
                            buffer[n++] = (byte)'"';
                        }

                        j = k + 1;
                    }
                    else
                    {
                        buffer[n++] = c;
                        j++;
                    }
                }

                return Text(buffer.AsSpan(0, n));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>A display name from [start, end): comments dropped, quotes removed, encoded words decoded; null when empty.</summary>
        private readonly string? PhraseName(int start, int end)
        {
            var span = _raw[start..end];
            if (_commentsBroken || span.IndexOf((byte)'(') < 0)
            {
                return NullIfEmpty(HeaderText.DecodePhrase(span));
            }

            var buffer = ArrayPool<byte>.Shared.Rent(span.Length);
            try
            {
                var n = 0;
                var j = 0;
                var inQuote = false;
                while (j < span.Length)
                {
                    var c = span[j];
                    if (c == (byte)'"')
                    {
                        inQuote = !inQuote;
                    }
                    else if (c == (byte)'\\' && j + 1 < span.Length)
                    {
                        buffer[n++] = c;
                        j++;
                        c = span[j];
                    }
                    else if (c == (byte)'(' && !inQuote)
                    {
                        var k = HeaderSyntax.SkipComment(span, j, out var terminated);
                        if (terminated)
                        {
                            buffer[n++] = (byte)' ';
                            j = k;
                            continue;
                        }
                    }

                    buffer[n++] = c;
                    j++;
                }

                var text = HeaderText.DecodePhrase(buffer.AsSpan(0, n));
                return NullIfEmpty(CollapseSpaces(text));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private readonly string Text(ReadOnlySpan<byte> bytes) => _kind switch
        {
            RawTextKind.Ascii => Encoding.ASCII.GetString(bytes),
            RawTextKind.Utf8 => Charsets.Utf8.GetString(bytes),
            _ => Charsets.Windows1252.GetString(bytes),
        };

        private void Warn(int at, string message)
        {
            if (_warnings is not null && _warningCount++ < MaxWarnings)
            {
                _warnings.Add(new MimeWarning(MimeWarningCode.InvalidAddress, _offset + at, message));
            }
        }
    }

    /// <summary>Bytes that may appear in a domain atom: not white space, control or RFC 5322 specials (8-bit allowed: RFC 6531).</summary>
    private static bool IsDomainByte(byte b) =>
        b > 0x20 && b != 0x7F && b is not ((byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']'
            or (byte)':' or (byte)';' or (byte)'@' or (byte)'\\' or (byte)',' or (byte)'.' or (byte)'"');

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string CollapseSpaces(string text)
    {
        if (text.IndexOf("  ", StringComparison.Ordinal) < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var lastSpace = false;
        foreach (var c in text)
        {
            if (c == ' ' && lastSpace)
            {
                continue;
            }

            lastSpace = c == ' ';
            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 60), "...");
}
