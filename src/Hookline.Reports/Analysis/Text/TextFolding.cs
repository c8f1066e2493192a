using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Hookline.Reports.Analysis.Text;

/// <summary>
/// Text as the lexicons compare it: compatibility-decomposed (NFKD: mathematical bold and full-width
/// letters become plain ones, accented letters their base letter and the accent), accents removed
/// (not the kana voiced sound marks, which are part of their letter), lower case, zero-width and
/// soft-hyphen characters dropped, every run of white space one space. Phrases in the lexicons are
/// written folded. The decompositions come from a table generated from
/// the Unicode data (Analysis/Text/text-folding.txt, scripts/gen-text-folding.py), not from
/// <see cref="string.Normalize()"/>: Hookline runs with invariant globalization, where normalisation
/// leaves every string as it is.
/// </summary>
public static class TextFolding
{
    private static readonly Lazy<FrozenDictionary<int, string>> Decompositions = new(LoadDecompositions, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Characters that render as nothing: used to break up words so that filters miss them (zero-width
    /// spaces and joiners, soft hyphens, direction marks, embeddings and isolates, invisible operators).
    /// </summary>
    public static bool IsInvisible(char c) => c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' or '\u034F' or '\u180E'
        or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2061' and <= '\u2064') or (>= '\u2066' and <= '\u2069');

    public static string Fold(string text, int maxChars = int.MaxValue)
    {
        if (text.Length > maxChars)
        {
            text = text[..maxChars];
        }

        var decompositions = Decompositions.Value;
        var output = new StringBuilder(text.Length);
        var space = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < '\u0080')
            {
                Append(output, c, ref space);
                continue;
            }

            // A surrogate pair is one character (mathematical letters are outside the BMP); a lone surrogate is kept as it is.
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var codePoint = pair ? char.ConvertToUtf32(c, text[i + 1]) : c;
            if (decompositions.TryGetValue(codePoint, out var folded))
            {
                foreach (var d in folded)
                {
                    Append(output, d, ref space);
                }
            }
            else
            {
                Append(output, c, ref space);
                if (pair)
                {
                    Append(output, text[i + 1], ref space);
                }
            }

            i += pair ? 1 : 0;
        }

        return output.ToString();
    }

    /// <summary>True for the letters and digits of Latin-script words (a phrase match must not start or end inside one).</summary>
    public static bool IsWordChar(char c) => c < '\u3000' && char.IsLetterOrDigit(c);

    private static void Append(StringBuilder output, char c, ref bool space)
    {
        // Accents go; the kana voiced sound marks are part of their letter ("が" is not "か").
        if (IsInvisible(c) || (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark && c is not ('\u3099' or '\u309A')))
        {
            return;
        }

        if (char.IsWhiteSpace(c))
        {
            if (!space)
            {
                output.Append(' ');
                space = true;
            }

            return;
        }

        output.Append(char.ToLowerInvariant(c));
        space = false;
    }

    private static FrozenDictionary<int, string> LoadDecompositions()
    {
        const string resource = "Hookline.Reports.Analysis.Text.text-folding.txt";
        using var stream = typeof(TextFolding).Assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException("Missing embedded resource " + resource);
        using var reader = new StreamReader(stream);
        var table = new Dictionary<int, string>();
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || tab <= 0)
            {
                continue;
            }

            var folded = new StringBuilder();
            foreach (var hex in line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                folded.Append(char.ConvertFromUtf32(int.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)));
            }

            table[int.Parse(line.AsSpan(0, tab), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)] = folded.ToString();
        }

        return table.ToFrozenDictionary();
    }
}
