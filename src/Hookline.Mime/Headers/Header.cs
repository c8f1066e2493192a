namespace Hookline.Mime.Headers;

/// <summary>
/// One header field exactly as written: its bytes (folded lines and line break included) are kept,
/// and its value is decoded on first use. A line that is not a valid field but sits among fields is
/// kept as an invalid field (empty name) so that no byte is lost.
/// </summary>
public sealed class Header
{
    private readonly ReadOnlyMemory<byte> _source;
    private readonly int _maxDecodedBytes;
    private string? _value;

    internal Header(ReadOnlyMemory<byte> source, string name, ByteRange field, ByteRange value, int maxDecodedBytes, bool isValid = true)
    {
        _source = source;
        Name = name;
        Field = field;
        ValueRange = value;
        _maxDecodedBytes = maxDecodedBytes;
        IsValid = isValid;
    }

    /// <summary>The field name as written (without surrounding white space).</summary>
    public string Name { get; }

    /// <summary>The whole field: name, colon, value with its folds, and the line break that ends it.</summary>
    public ByteRange Field { get; }

    /// <summary>The value: everything after the colon up to (not including) the final line break.</summary>
    public ByteRange ValueRange { get; }

    /// <summary>False for a line kept among the fields that has no valid field name or colon.</summary>
    public bool IsValid { get; }

    /// <summary>True when the value is longer than the limit and only its start is decoded.</summary>
    public bool IsTruncated => ValueRange.Length > _maxDecodedBytes;

    public ReadOnlyMemory<byte> RawField => _source.Slice(Field.Start, Field.Length);

    public ReadOnlyMemory<byte> RawValue => _source.Slice(ValueRange.Start, ValueRange.Length);

    /// <summary>The raw value cut to the decoding limit.</summary>
    internal ReadOnlySpan<byte> BoundedRawValue => RawValue.Span[..Math.Min(ValueRange.Length, _maxDecodedBytes)];

    /// <summary>The value unfolded and decoded as unstructured text (RFC 2047 encoded words decoded).</summary>
    public string Value => _value ??= HeaderText.DecodeUnstructured(BoundedRawValue);

    public override string ToString() => IsValid ? $"{Name}: {Value}" : $"(invalid) {Value}";
}
