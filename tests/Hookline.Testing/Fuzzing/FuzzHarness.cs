using System.Diagnostics;
using Hookline.Mime;
using Hookline.Mime.Reading;

namespace Hookline.Testing.Fuzzing;

/// <summary>What went wrong with one fuzz input.</summary>
public enum FuzzFailureKind
{
    /// <summary>An exception escaped the parser or an accessor.</summary>
    Exception,

    /// <summary>The input took longer than the wall-clock guard (or the reader did not stop).</summary>
    Hang,

    /// <summary>Writing the parsed message back did not give the input byte for byte.</summary>
    RoundTrip,

    /// <summary>More entities than <see cref="MimeLimits.MaxParts"/> allows.</summary>
    TooManyEntities,

    /// <summary>An entity deeper than <see cref="MimeLimits.MaxDepth"/> + 1.</summary>
    TooDeep,

    /// <summary>The parsed pieces of a multipart or attached message do not cover its body exactly.</summary>
    Structure,
}

/// <summary>The outcome of one input: a failure (or null), the warning codes seen, and what the parse found.</summary>
public sealed record FuzzResult(
    FuzzFailureKind? Failure,
    string? Detail,
    IReadOnlySet<MimeWarningCode> WarningCodes,
    int EntityCount,
    int MaxDepth,
    TimeSpan Elapsed)
{
    public bool Passed => Failure is null;
}

/// <summary>
/// Parses one input and touches everything a consumer could (every header value, every part's
/// decoded content and text, content types, dispositions, file names, the reader's events), then
/// checks the invariants that must hold for any input: no exception, byte-exact round trip,
/// entity count and depth within the limits, and each multipart's pieces tiling its body.
/// </summary>
public static class FuzzHarness
{
    /// <summary>Runs <see cref="Check"/> on a worker and gives up after <paramref name="timeout"/> (reported as <see cref="FuzzFailureKind.Hang"/>).</summary>
    public static FuzzResult CheckWithTimeout(byte[] input, TimeSpan timeout, MimeLimits? limits = null)
    {
        var task = Task.Factory.StartNew(() => Check(input, limits), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (task.Wait(timeout))
        {
            return task.Result;
        }

        return new FuzzResult(FuzzFailureKind.Hang, $"No result after {timeout.TotalSeconds:0.#} s.", new HashSet<MimeWarningCode>(), 0, 0, timeout);
    }

    public static FuzzResult Check(byte[] input, MimeLimits? limits = null)
    {
        limits ??= MimeLimits.Default;
        var codes = new HashSet<MimeWarningCode>();
        var stopwatch = Stopwatch.StartNew();
        var entities = 0;
        var maxDepth = 0;
        try
        {
            var message = MimeMessage.Parse(input, limits);
            var encodedMessages = 0;
            var detail = Touch(message, ref entities, ref maxDepth, ref encodedMessages);
            foreach (var warning in message.Warnings)
            {
                codes.Add(warning.Code);
                _ = warning.ToString();
            }

            if (detail is not null)
            {
                return Fail(FuzzFailureKind.Structure, detail);
            }

            var output = message.ToArray();
            if (!output.AsSpan().SequenceEqual(input))
            {
                return Fail(FuzzFailureKind.RoundTrip, DescribeMismatch(input, output));
            }

            if (entities > limits.MaxParts + encodedMessages)
            {
                return Fail(FuzzFailureKind.TooManyEntities, $"{entities} entities; MaxParts is {limits.MaxParts} (+{encodedMessages} encoded attached messages).");
            }

            if (maxDepth > limits.MaxDepth + 1)
            {
                return Fail(FuzzFailureKind.TooDeep, $"An entity at depth {maxDepth}; MaxDepth is {limits.MaxDepth}.");
            }

            var readerDetail = ReadAllEvents(input, limits);
            if (readerDetail is not null)
            {
                return Fail(FuzzFailureKind.Hang, readerDetail);
            }

            var headersOnly = MimeMessage.ParseHeaders(input, limits);
            foreach (var header in headersOnly.Headers)
            {
                _ = header.Value;
            }

            if (!headersOnly.ToArray().AsSpan().SequenceEqual(input))
            {
                return Fail(FuzzFailureKind.RoundTrip, "ParseHeaders: " + DescribeMismatch(input, headersOnly.ToArray()));
            }
        }
        catch (Exception ex)
        {
            return Fail(FuzzFailureKind.Exception, ex.ToString());
        }

        return new FuzzResult(null, null, codes, entities, maxDepth, stopwatch.Elapsed);

        FuzzResult Fail(FuzzFailureKind kind, string detail) => new(kind, detail, codes, entities, maxDepth, stopwatch.Elapsed);
    }

    private static string? Touch(MimeMessage message, ref int entities, ref int maxDepth, ref int encodedMessages)
    {
        _ = message.Subject;
        _ = message.Prefix;
        foreach (var entity in message.Entities())
        {
            entities++;
            maxDepth = Math.Max(maxDepth, entity.Depth);
            foreach (var header in entity.Headers)
            {
                _ = header.Name;
                _ = header.Value;
                _ = header.ToString();
                if (!WithinSource(header.Field, entity.Source.Length) || !WithinSource(header.ValueRange, entity.Source.Length))
                {
                    return $"Header '{header.Name}' has ranges {header.Field} / {header.ValueRange} outside its source ({entity.Source.Length} bytes).";
                }
            }

            _ = entity.ContentType.MimeType;
            foreach (var parameter in entity.ContentType.Parameters)
            {
                _ = parameter.Value;
            }

            _ = entity.ContentDisposition?.Disposition;
            _ = entity.FileName;
            _ = entity.IsAttachment;
            _ = entity.GetRawBytes();

            switch (entity)
            {
                case MimePart part:
                    _ = part.DecodeContent();
                    _ = part.GetText();
                    break;
                case Multipart multipart:
                    {
                        var problem = CheckTiling(multipart);
                        if (problem is not null)
                        {
                            return problem;
                        }

                        break;
                    }

                case MessagePart attached:
                    _ = attached.Message.Subject;
                    if (attached.IsEncoded)
                    {
                        encodedMessages++;
                    }
                    else if (!attached.Message.ToArray().AsSpan().SequenceEqual(attached.Source.Span.Slice(attached.BodyRange.Start, attached.BodyRange.Length)))
                    {
                        return $"The attached message at {attached.BodyRange} does not write back as its bytes.";
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>Preamble, each delimiter and part, close delimiter and epilogue must follow each other with no gap or overlap.</summary>
    private static string? CheckTiling(Multipart multipart)
    {
        var body = multipart.BodyRange;
        var at = body.Start;
        if (multipart.Preamble.Start != at)
        {
            return $"Multipart at {multipart.Range}: preamble {multipart.Preamble} does not start at the body {body.Start}.";
        }

        at = multipart.Preamble.End;
        foreach (var child in multipart.Children)
        {
            if (child.Delimiter.Start != at || child.Entity.Range.Start != child.Delimiter.End)
            {
                return $"Multipart at {multipart.Range}: delimiter {child.Delimiter} / part {child.Entity.Range} do not follow {at}.";
            }

            at = child.Entity.Range.End;
        }

        if (multipart.CloseDelimiter is { } close)
        {
            if (close.Start != at)
            {
                return $"Multipart at {multipart.Range}: close delimiter {close} does not follow {at}.";
            }

            at = close.End;
        }

        if (multipart.Epilogue.Start != at || multipart.Epilogue.End != body.End)
        {
            return $"Multipart at {multipart.Range}: epilogue {multipart.Epilogue} does not run from {at} to the body's end {body.End}.";
        }

        return null;
    }

    private static string? ReadAllEvents(byte[] input, MimeLimits limits)
    {
        var reader = new MimeReader(input, limits);
        var budget = (4L * input.Length) + 10_000;
        long events = 0;
        while (reader.Read())
        {
            _ = reader.Range;
            if (++events > budget)
            {
                return $"MimeReader produced more than {budget} events for {input.Length} bytes: it does not stop.";
            }
        }

        return null;
    }

    private static bool WithinSource(ByteRange range, int length) => range.Start >= 0 && range.Length >= 0 && range.End <= length;

    private static string DescribeMismatch(byte[] input, byte[] output)
    {
        var first = input.AsSpan().CommonPrefixLength(output);
        return $"Input {input.Length} bytes, output {output.Length} bytes; first difference at {first}.";
    }
}
