using System.Runtime.CompilerServices;

namespace Hookline.Mime.Reading;

/// <summary>What one parse shares across its entities: the buffer, the limits, the warnings and the part count.</summary>
internal sealed class ParseContext
{
    public ParseContext(ReadOnlyMemory<byte> source, MimeLimits limits, List<MimeWarning> warnings)
    {
        Source = source;
        Limits = limits;
        Warnings = warnings;
    }

    public ReadOnlyMemory<byte> Source { get; }

    public MimeLimits Limits { get; }

    public List<MimeWarning> Warnings { get; }

    /// <summary>Entities created so far, shared with parses of encoded attached messages so the limit holds overall.</summary>
    public StrongBox<int> PartCount { get; init; } = new(0);

    public void Warn(MimeWarningCode code, long offset, string message) => Warnings.Add(new MimeWarning(code, offset, message));
}
