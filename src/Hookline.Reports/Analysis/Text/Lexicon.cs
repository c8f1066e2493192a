using System.Buffers;

namespace Hookline.Reports.Analysis.Text;

/// <summary>One phrase of a lexicon family, found in a text.</summary>
public readonly record struct LexiconHit(int Family, string Phrase, int Position);

/// <summary>
/// Phrases grouped in families (an embedded text file: <c>[family]</c> headers, one phrase a line,
/// <c>#</c> comments), folded like the text they are compared with, and found in one pass per text
/// that looks only where a phrase can start (see <see cref="Find"/>). A phrase matches on word boundaries; a trailing <c>*</c> lets it end inside a word; a leading
/// <c>^</c> counts it only in the subject and the sender's name, a leading <c>~</c> only in the body.
/// </summary>
public sealed class Lexicon
{
    private readonly string[] _phrases;
    private readonly int[] _familyOf;
    private readonly bool[] _prefix;
    private readonly bool[] _headersOnly;
    private readonly bool[] _bodyOnly;
    private readonly Dictionary<int, int[]> _byStart;

    /// <summary>Per character: whether some phrase starts with it (a cheap test before the lookup).</summary>
    private readonly bool[] _startsAPhrase = new bool[char.MaxValue + 1];

    /// <summary>By the low bytes of the first two characters: whether some phrase may start so (a filter; the lookup decides).</summary>
    private readonly bool[] _mayStartTwo = new bool[1 << 16];

    /// <summary>Folded letters and digits of ASCII: the run of a word skipped in one vectorised step.</summary>
    private static readonly SearchValues<char> AsciiWordChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    private Lexicon(List<string> families, List<bool> spamFamilies, List<(string Phrase, int Family, bool Prefix, bool HeadersOnly, bool BodyOnly)> phrases)
    {
        Families = families;
        SpamFamilies = spamFamilies;
        // Longest first, so that at one position the longer phrase is reported.
        phrases.Sort((a, b) => b.Phrase.Length.CompareTo(a.Phrase.Length));
        _phrases = phrases.Select(p => p.Phrase).ToArray();
        _familyOf = phrases.Select(p => p.Family).ToArray();
        _prefix = phrases.Select(p => p.Prefix).ToArray();
        _headersOnly = phrases.Select(p => p.HeadersOnly).ToArray();
        _bodyOnly = phrases.Select(p => p.BodyOnly).ToArray();
        // Candidates by their first two characters (a one-character phrase under its character and '\0'),
        // longest first: at a place the search stops, only the phrases that can start there are tried.
        _byStart = Enumerable.Range(0, _phrases.Length).GroupBy(i => Start(_phrases[i])).ToDictionary(g => g.Key, g => g.ToArray());
        foreach (var phrase in _phrases)
        {
            _startsAPhrase[phrase[0]] = true;
            _mayStartTwo[Filter(phrase[0], phrase.Length > 1 ? phrase[1] : '\0')] = true;
        }
    }

    /// <summary>The intents of phishing and unwanted mail (Analysis/Text/lures.txt).</summary>
    public static Lexicon Lures { get; } = Load("Hookline.Reports.Analysis.Text.lures.txt");

    /// <summary>The removal boilerplate of bulk mail sent to bought lists (Analysis/Text/removal-notices.txt).</summary>
    public static Lexicon RemovalNotices { get; } = Load("Hookline.Reports.Analysis.Text.removal-notices.txt");

    public IReadOnlyList<string> Families { get; }

    /// <summary>Per family: evidence of unwanted mail rather than of fraud (marked "spam" in the file).</summary>
    public IReadOnlyList<bool> SpamFamilies { get; }

    public int PhraseCount => _phrases.Length;

    public static Lexicon Parse(string text)
    {
        var families = new List<string>();
        var spam = new List<bool>();
        var phrases = new List<(string, int, bool, bool, bool)>();
        var seen = new HashSet<(string, int)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                var close = line.IndexOf(']', StringComparison.Ordinal);
                families.Add(line[1..close].Trim());
                spam.Add(line[(close + 1)..].Trim() == "spam");
                continue;
            }

            if (families.Count == 0)
            {
                throw new FormatException($"A phrase before the first [family]: {line}");
            }

            var headersOnly = line.StartsWith('^');
            var bodyOnly = line.StartsWith('~');
            line = headersOnly || bodyOnly ? line[1..] : line;
            var prefix = line.EndsWith('*');
            var folded = TextFolding.Fold(prefix ? line[..^1] : line);
            if (folded.Length > 0 && seen.Add((folded, families.Count - 1)))
            {
                phrases.Add((folded, families.Count - 1, prefix, headersOnly, bodyOnly));
            }
        }

        return new Lexicon(families, spam, phrases);
    }

    /// <summary>A lexicon from families of phrases written as they are (folded here).</summary>
    public static Lexicon Create(IEnumerable<(string Family, IEnumerable<string> Phrases)> families)
    {
        var names = new List<string>();
        var phrases = new List<(string, int, bool, bool, bool)>();
        foreach (var (family, list) in families)
        {
            foreach (var phrase in list)
            {
                var folded = TextFolding.Fold(phrase);
                if (folded.Length > 0)
                {
                    phrases.Add((folded, names.Count, false, false, false));
                }
            }

            names.Add(family);
        }

        return new Lexicon(names, names.Select(_ => false).ToList(), phrases);
    }

    private static Lexicon Load(string resource)
    {
        using var stream = typeof(Lexicon).Assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException("Missing embedded resource " + resource);
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>
    /// Every phrase found in the folded <paramref name="text"/> (at one position, the longest), in
    /// order; phrases marked <c>^</c> only when <paramref name="headers"/> (the subject or the sender's name),
    /// phrases marked <c>~</c> only when not.
    /// </summary>
    public void Find(string text, List<LexiconHit> hits, int maxHits = 512, bool headers = true)
    {
        // Every place a phrase may start is looked at once: a word's first letter, or any character that
        // is not a letter or digit (punctuation, CJK). The rest of a word is skipped, since no phrase
        // starts inside one. A lookup by the first two characters finds the few phrases to try.
        var span = text.AsSpan();
        var position = 0;
        while (position < span.Length && hits.Count < maxHits)
        {
            var c = span[position];
            if (c == ' ' || InsideWord(span, position))
            {
                position = c == ' ' ? position + 1 : EndOfWord(span, position);
                continue;
            }

            var matched = -1;
            if (_startsAPhrase[c])
            {
                var next = position + 1 < span.Length ? span[position + 1] : '\0';
                matched = _mayStartTwo[Filter(c, next)] ? Longest(span, position, headers, Key(c, next)) : -1;
                if (matched < 0 && _mayStartTwo[Filter(c, '\0')])
                {
                    matched = Longest(span, position, headers, Key(c, '\0'));
                }
            }

            if (matched >= 0)
            {
                hits.Add(new LexiconHit(_familyOf[matched], _phrases[matched], position));
                position += _phrases[matched].Length;
            }
            else
            {
                position = TextFolding.IsWordChar(c) ? EndOfWord(span, position) : position + 1;
            }
        }
    }

    private static int Key(char first, char second) => (first << 16) | second;

    private static int Filter(char first, char second) => ((first & 0xFF) << 8) | (second & 0xFF);

    private static int Start(string phrase) => Key(phrase[0], phrase.Length > 1 ? phrase[1] : '\0');

    /// <summary>The longest phrase under <paramref name="start"/> that is written at <paramref name="position"/> on word boundaries and may count here; -1 when none.</summary>
    private int Longest(ReadOnlySpan<char> span, int position, bool headers, int start)
    {
        if (!_byStart.TryGetValue(start, out var candidates))
        {
            return -1;
        }

        foreach (var i in candidates)
        {
            var phrase = _phrases[i];
            if ((headers ? !_bodyOnly[i] : !_headersOnly[i]) && span[position..].StartsWith(phrase, StringComparison.Ordinal) && Bounded(span, position, phrase.Length, _prefix[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool InsideWord(ReadOnlySpan<char> text, int start) =>
        start > 0 && TextFolding.IsWordChar(text[start - 1]) && TextFolding.IsWordChar(text[start]);

    private static int EndOfWord(ReadOnlySpan<char> text, int position)
    {
        while (position < text.Length)
        {
            var ascii = text[position..].IndexOfAnyExcept(AsciiWordChars);
            if (ascii < 0)
            {
                return text.Length;
            }

            position += ascii;
            if (!TextFolding.IsWordChar(text[position]))
            {
                return position;
            }

            position++;
        }

        return position;
    }

    /// <summary>Whether a phrase that starts on a word boundary also ends on one (or may end inside a word).</summary>
    private static bool Bounded(ReadOnlySpan<char> text, int start, int length, bool prefix)
    {
        var end = start + length;
        return prefix || end >= text.Length || !TextFolding.IsWordChar(text[end]) || !TextFolding.IsWordChar(text[end - 1]);
    }
}
