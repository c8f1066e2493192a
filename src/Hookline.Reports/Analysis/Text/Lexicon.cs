using System.Buffers;
using System.Reflection;

namespace Hookline.Reports.Analysis.Text;

/// <summary>One phrase of a lexicon family, found in a text.</summary>
public readonly record struct LexiconHit(int Family, string Phrase, int Position);

/// <summary>
/// Phrases grouped in families (an embedded text file: <c>[family]</c> headers, one phrase a line,
/// <c>#</c> comments), folded like the text they are compared with, and found in one vectorised pass
/// per text. A phrase matches on word boundaries; a trailing <c>*</c> lets it end inside a word; a leading
/// <c>^</c> counts it only in the subject and the sender's name, a leading <c>~</c> only in the body.
/// </summary>
public sealed class Lexicon
{
    private readonly string[] _phrases;
    private readonly int[] _familyOf;
    private readonly bool[] _prefix;
    private readonly bool[] _headersOnly;
    private readonly bool[] _bodyOnly;
    private readonly Dictionary<char, int[]> _byFirst;
    private readonly SearchValues<string> _search;

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
        _byFirst = Enumerable.Range(0, _phrases.Length).GroupBy(i => _phrases[i][0]).ToDictionary(g => g.Key, g => g.ToArray());
        _search = SearchValues.Create(_phrases, StringComparison.Ordinal);
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
        var span = text.AsSpan();
        var offset = 0;
        while (hits.Count < maxHits)
        {
            var at = span[offset..].IndexOfAny(_search);
            if (at < 0)
            {
                return;
            }

            var position = offset + at;
            var matched = -1;
            if (_byFirst.TryGetValue(text[position], out var candidates))
            {
                foreach (var i in candidates)
                {
                    var phrase = _phrases[i];
                    if ((headers ? !_bodyOnly[i] : !_headersOnly[i]) && span[position..].StartsWith(phrase, StringComparison.Ordinal) && Bounded(span, position, phrase.Length, _prefix[i]))
                    {
                        matched = i;
                        break;
                    }
                }
            }

            if (matched >= 0)
            {
                hits.Add(new LexiconHit(_familyOf[matched], _phrases[matched], position));
                offset = position + _phrases[matched].Length;
            }
            else
            {
                offset = position + 1;
            }
        }
    }

    private static bool Bounded(ReadOnlySpan<char> text, int start, int length, bool prefix)
    {
        if (start > 0 && TextFolding.IsWordChar(text[start - 1]) && TextFolding.IsWordChar(text[start]))
        {
            return false;
        }

        var end = start + length;
        return prefix || end >= text.Length || !TextFolding.IsWordChar(text[end]) || !TextFolding.IsWordChar(text[end - 1]);
    }
}
