namespace Hookline.Mime;

/// <summary>A slice of the parsed buffer: where a piece of the message came from, byte for byte.</summary>
public readonly record struct ByteRange(int Start, int Length)
{
    public static ByteRange Empty(int at) => new(at, 0);

    public int End => Start + Length;

    public bool IsEmpty => Length == 0;

    public static ByteRange FromBounds(int start, int end) => new(start, end - start);

    public override string ToString() => $"[{Start}..{End})";
}
