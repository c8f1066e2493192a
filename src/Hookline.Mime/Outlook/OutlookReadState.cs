namespace Hookline.Mime.Outlook;

/// <summary>What one read of a .msg or TNEF file shares: the limits, the warnings, and the part budget.</summary>
internal class OutlookReadState(MimeLimits limits, List<MimeWarning> warnings)
{
    private int _parts;

    public MimeLimits Limits { get; } = limits;

    public void Warn(MimeWarningCode code, long offset, string message) => warnings.Add(new MimeWarning(code, offset, message));

    /// <summary>Counts a recipient or attachment against <see cref="MimeLimits.MaxParts"/>; warns once when the budget runs out.</summary>
    public bool TakePart()
    {
        if (++_parts <= Limits.MaxParts)
        {
            return true;
        }

        if (_parts == Limits.MaxParts + 1)
        {
            Warn(MimeWarningCode.TooManyParts, 0, $"More than {Limits.MaxParts} recipients and attachments; the rest are not read.");
        }

        return false;
    }
}
