namespace Hookline.Reports.Analysis;

/// <summary>
/// One signal an analyzer found, named with a stable dotted id (e.g. "auth.spf.fail",
/// "url.text-mismatch", "attachment.macro") that the assessment rules refer to, and a readable detail.
/// </summary>
public sealed record Finding(string Signal, string Detail);
