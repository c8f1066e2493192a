namespace Hookline.Reports.Assessment;

/// <summary>
/// Which sum a rule's points go to: evidence of phishing, of spam, or of a legitimate message
/// (clean points are subtracted from both the phishing and the spam sums).
/// </summary>
public enum RuleCategory
{
    Phishing,
    Spam,
    Clean,
}
