using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hookline.Reports.Contracts;
using Hookline.Reports.Pipeline;
using Hookline.Reports.Settings;

namespace Hookline.Cli;

/// <summary>
/// `hookline analyze [--json] PATH...`: analyse report emails or plain messages without storing
/// anything (docs/cli.md). Files are analysed on every core and written in input order (<see cref="OrderedWork"/>);
/// a bad file gives an error line, never stops the batch; a file that is not mail at all (empty,
/// binary, no header field) gets an error saying so and no verdict.
/// </summary>
internal static class AnalyzeCommand
{
    /// <summary>Lines computed ahead of the one being written at most: bounds memory while keeping every core busy.</summary>
    private const int Window = 1024;

    /// <summary>Lines between flushes of the output and progress updates.</summary>
    private const int ProgressEvery = 256;

    /// <summary>Largest per-thread read buffer kept between files; a larger file gets an array of its own.</summary>
    private const int MaxKeptBuffer = 32 * 1024 * 1024;

    [ThreadStatic]
    private static byte[]? t_buffer;

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_jsonBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_jsonWriter;

    public static Command Create()
    {
        var paths = new Argument<string[]>("path") { Description = "Report emails or messages (.eml, .msg, TNEF), or folders (every file below them, in ordinal path order).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "One JSON object per line per input file (JSON Lines), for scripts." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress or summary on standard error." };
        var settings = new Option<string?>("--settings") { Description = "The organisation's settings file (YAML: domains, trusted authserv-ids, allow/block lists, rule files; see docs/rules.md)." };
        var command = new Command("analyze", "Analyse report emails or plain messages: the envelope, the original's signals, a verdict with reasons. Stores nothing.") { paths, json, quiet, settings };
        command.SetAction(result =>
        {
            if (!TryLoadAnalyzer(result.GetValue(settings), Console.Error, out var analyzer))
            {
                return 2;
            }

            // A buffered UTF-8 writer: one console write per batch, not per line.
            using var output = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16);
            return Run(result.GetValue(paths)!, result.GetValue(json), result.GetValue(quiet), analyzer, output, Console.Error, !Console.IsErrorRedirected);
        });
        return command;
    }

    /// <summary>Runs the command; returns the exit code (0 when every file produced a line, 2 for a missing path).</summary>
    internal static int Run(IReadOnlyList<string> paths, bool json, bool quiet, ReportAnalyzer analyzer, TextWriter output, TextWriter errors, bool progress)
    {
        var files = InputFiles.Expand(paths, out var missing);
        foreach (var path in missing)
        {
            errors.WriteLine($"hookline analyze: no such file or folder: {path}");
        }

        var clock = Stopwatch.StartNew();
        long bytes = 0;
        var failed = 0;
        var showProgress = progress && !quiet && files.Count > ProgressEvery;
        OrderedWork.Run(
            files.Count,
            i => AnalyzeToLine(files[i], analyzer, json),
            (i, result) =>
            {
                output.Write(result.Line);
                bytes += result.Bytes;
                failed += result.Failed ? 1 : 0;
                var done = i + 1;
                if (done % ProgressEvery == 0 || done == files.Count)
                {
                    // One console write per stretch of lines, not per line.
                    output.Flush();
                    if (showProgress)
                    {
                        errors.Write(string.Create(CultureInfo.InvariantCulture, $"\ranalyzed {done}/{files.Count} ({done * 100 / files.Count}%) {bytes / 1e6 / clock.Elapsed.TotalSeconds:F0} MB/s   "));
                    }
                }
            },
            Window,
            Environment.ProcessorCount);

        if (!quiet)
        {
            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            errors.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{(showProgress ? "\r" : string.Empty)}analyzed {files.Count} files ({bytes / 1e6:F1} MB) in {seconds:F2} s: {files.Count / seconds:F0} files/s, {bytes / 1e6 / seconds:F1} MB/s; {failed} with errors"));
        }

        return missing.Count > 0 ? 2 : 0;
    }

    /// <summary>The analyzer for the settings file, or the defaults; settings errors are printed, each with its position.</summary>
    internal static bool TryLoadAnalyzer(string? settingsPath, TextWriter errors, out ReportAnalyzer analyzer)
    {
        analyzer = ReportAnalyzer.Default;
        if (settingsPath is null)
        {
            return true;
        }

        try
        {
            var settings = OrganizationSettings.Load(settingsPath);
            foreach (var warning in settings.Warnings)
            {
                errors.WriteLine($"hookline: {warning}");
            }

            analyzer = new ReportAnalyzer(settings.Analysis, settings.Assessor);
            return true;
        }
        catch (SettingsException e)
        {
            errors.WriteLine($"hookline: the settings in {settingsPath} are not valid:");
            foreach (var error in e.Errors)
            {
                errors.WriteLine($"  {error}");
            }

            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"hookline: cannot read the settings file: {e.Message}");
            return false;
        }
    }

    /// <summary>
    /// Reads, analyses and describes one file. The file is read into this thread's buffer, which the
    /// next file on the thread overwrites: nothing that refers to the bytes leaves this method, only the line.
    /// </summary>
    private static (string Line, long Bytes, bool Failed) AnalyzeToLine(string file, ReportAnalyzer analyzer, bool json)
    {
        var result = AnalyzeFile(file, analyzer);
        var line = json ? JsonLine(file, result) : ReadableSummary.Describe(file, result.Outcome, result.Error);
        return (line, result.Bytes, result.Error is not null);
    }

    private static FileResult AnalyzeFile(string file, ReportAnalyzer analyzer)
    {
        ReadOnlyMemory<byte> bytes;
        try
        {
            bytes = ReadIntoThreadBuffer(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileResult(null, $"cannot read the file: {e.Message}", 0);
        }

        try
        {
            return analyzer.TryAnalyze(bytes, out var outcome, out var notMail)
                ? new FileResult(outcome, null, bytes.Length)
                : new FileResult(null, notMail, bytes.Length);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The parsers are built never to throw on content; if one does, that is a bug, and this
            // file still gets its line so the batch goes on.
            return new FileResult(null, $"internal error while analysing ({e.GetType().Name}): {e.Message}", bytes.Length);
        }
    }

    /// <summary>
    /// The whole file in one read into a buffer kept per thread (files up to <see cref="MaxKeptBuffer"/>):
    /// a fresh array per file costs the kernel zeroing new pages and the GC collecting the large-object heap.
    /// </summary>
    private static ReadOnlyMemory<byte> ReadIntoThreadBuffer(string file)
    {
        using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(handle);
        if (length == 0)
        {
            // Empty, or a file that does not say its length (procfs, pipes): read it as a stream.
            return File.ReadAllBytes(file);
        }

        if (length > Array.MaxLength)
        {
            throw new IOException($"the file is larger than {Array.MaxLength} bytes");
        }

        var buffer = t_buffer;
        if (buffer is null || buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, Math.Max(length, 64 * 1024) * 5 / 4));
            if (buffer.Length <= MaxKeptBuffer)
            {
                t_buffer = buffer;
            }
        }

        var total = 0;
        while (total < length)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(total, (int)length - total), total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return buffer.AsMemory(0, total);
    }

    private static string JsonLine(string file, FileResult result)
    {
        // The buffer and the writer are kept per thread and reset for each line.
        var buffer = t_jsonBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        var writer = t_jsonWriter ??= new Utf8JsonWriter(buffer, AnalyzeJson.WriterOptions);
        writer.Reset(buffer);
        AnalyzeJson.Write(writer, file, result.Outcome, result.Error);
        writer.Flush();
        System.Buffers.BuffersExtensions.Write(buffer, "\n"u8);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private sealed record FileResult(AnalysisOutcome? Outcome, string? Error, long Bytes);
}
