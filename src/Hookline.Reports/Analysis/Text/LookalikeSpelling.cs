using System.Text;

namespace Hookline.Reports.Analysis.Text;

/// <summary>
/// Undoes the spellings bulk mail and phishing use to slip a word past filters while a reader still
/// reads it: digits and symbols for letters inside words ("V!agra", "acc0unt", "V1agra"), a capital I
/// for a small l ("Iocked") and a small l for a capital I among capitals ("FREE VlAGRA"), and underscores
/// for spaces ("verify_your_identity"). The result is for matching the lure lexicon only;
/// what a message says is never rewritten.
/// </summary>
public static class LookalikeSpelling
{
    /// <summary>Characters read as letters inside a word.</summary>
    private static char? AsLetter(char c) => c switch
    {
        '0' => 'o',
        '1' or '!' or '|' => 'i',
        '3' => 'e',
        '4' or '@' => 'a',
        '5' or '$' => 's',
        '7' => 't',
        _ => null,
    };

    /// <summary>The text as a reader reads it (at most <paramref name="maxChars"/> characters are looked at).</summary>
    public static string Undo(string text, int maxChars = 4096)
    {
        var source = text.Length > maxChars ? text.AsSpan(0, maxChars) : text.AsSpan();
        var builder = new StringBuilder(source.Length);
        var start = 0;
        while (start < source.Length)
        {
            var end = start;
            while (end < source.Length && IsWordPart(source[end]))
            {
                end++;
            }

            if (end == start)
            {
                builder.Append(source[start] == '_' ? ' ' : source[start]);
                start++;
                continue;
            }

            AppendWord(builder, source[start..end]);
            start = end;
        }

        return builder.ToString();
    }

    private static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || AsLetter(c) is not null;

    /// <summary>
    /// A word with at least two letters keeps its letters and reads its symbols, and its digits followed by a
    /// letter, as letters; a capital I before a small letter reads as l (so "Intel" reads "lntel": the reading
    /// only looks for lure phrases, and no phrase starts so). Shorter words stay as written.
    /// </summary>
    private static void AppendWord(StringBuilder builder, ReadOnlySpan<char> word)
    {
        var letters = 0;
        var upper = 0;
        foreach (var c in word)
        {
            letters += char.IsLetter(c) ? 1 : 0;
            upper += char.IsUpper(c) ? 1 : 0;
        }

        if (letters < 2)
        {
            builder.Append(word);
            return;
        }

        var shouting = upper * 2 > letters;
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            var next = i + 1 < word.Length ? word[i + 1] : '\0';
            if (c == 'I' && !shouting && char.IsLower(next))
            {
                builder.Append('l');
            }
            else if (c == 'l' && shouting)
            {
                builder.Append('I');
            }
            else if (char.IsDigit(c) && !char.IsLetter(next))
            {
                // A digit that ends a word is a model or a version ("MP4", "i7"), not a letter in disguise.
                builder.Append(c);
            }
            else
            {
                builder.Append(char.IsLetter(c) ? c : AsLetter(c) ?? c);
            }
        }
    }
}
