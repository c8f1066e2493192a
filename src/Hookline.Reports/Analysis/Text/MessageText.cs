namespace Hookline.Reports.Analysis.Text;

/// <summary>
/// What a person reading the message sees, folded for the lexicons (<see cref="TextFolding"/>):
/// the subject, the sender's display name, and the body's visible text (plain parts and HTML with
/// hidden elements, scripts and styles removed) with the HTML title, image alt texts, link texts and
/// attachment names. Bounded: <see cref="MessageTextReader.MaxBodyChars"/> characters of body.
/// </summary>
public sealed class MessageText
{
    public string Subject { get; init; } = string.Empty;

    public string DisplayName { get; init; } = string.Empty;

    /// <summary>The sender's display name as written (not folded), for reading past look-alike spelling.</summary>
    public string DisplayNameAsWritten { get; init; } = string.Empty;

    /// <summary>The visible body text, the title, alt texts, link texts and attachment names, folded.</summary>
    public string Body { get; init; } = string.Empty;

    /// <summary>Letters and digits of visible body text (before folding), for "is there any text at all".</summary>
    public int VisibleLetters { get; init; }

    /// <summary>Characters of text in hidden HTML elements (display:none, font-size:0, …).</summary>
    public int HiddenChars { get; init; }

    /// <summary>Zero-width and soft-hyphen characters inside words of the visible text, subject and display name.</summary>
    public int InvisibleChars { get; init; }

    /// <summary>Images in the HTML body (img tags) and image parts.</summary>
    public int Images { get; init; }

    /// <summary>Mathematical, full-width or other styled letters in the subject or display name (NFKC changes them).</summary>
    public bool StyledLetters { get; init; }

    /// <summary>A word that mixes Latin with Cyrillic or Greek letters in the subject or display name.</summary>
    public string? MixedScriptWord { get; init; }
}
