using System.Globalization;
using System.Text;

namespace Hookline.Reports.Analysis.Text;

/// <summary>
/// Text as the lexicons compare it: compatibility-normalised (NFKC: mathematical bold and full-width
/// letters become plain ones), accents removed, lower case, zero-width and soft-hyphen characters
/// dropped, every run of white space one space. Phrases in the lexicons are written folded.
/// </summary>
public static class TextFolding
{
    /// <summary>Characters that render as nothing: used to break up words so that filters miss them.</summary>
    public static bool IsInvisible(char c) => c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' or '\u034F' or '\u180E';

    public static string Fold(string text, int maxChars = int.MaxValue)
    {
        if (text.Length > maxChars)
        {
            text = text[..maxChars];
        }

        string normalized;
        try
        {
            normalized = text.IsNormalized(NormalizationForm.FormKD) ? text : text.Normalize(NormalizationForm.FormKD);
        }
        catch (ArgumentException)
        {
            // Lone surrogates: fold what is there without normalising.
            normalized = text;
        }

        var output = new StringBuilder(normalized.Length);
        var space = true;
        foreach (var c in normalized)
        {
            if (IsInvisible(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (!space)
                {
                    output.Append(' ');
                    space = true;
                }

                continue;
            }

            output.Append(char.ToLowerInvariant(c));
            space = false;
        }

        return output.ToString();
    }

    /// <summary>True for the letters and digits of Latin-script words (a phrase match must not start or end inside one).</summary>
    public static bool IsWordChar(char c) => c < '\u3000' && char.IsLetterOrDigit(c);
}
