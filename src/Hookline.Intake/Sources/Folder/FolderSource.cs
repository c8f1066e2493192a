using Hookline.Mime;
using Hookline.Storage;
using Microsoft.Extensions.Logging;

namespace Hookline.Intake.Sources.Folder;

/// <summary>Where the folder source looks, and how often.</summary>
public sealed record FolderSourceOptions
{
    public required string Name { get; init; }

    /// <summary>The drop folder. Handled files move to its <c>processed</c> subfolder; unreadable ones, and files that are not mail, to <c>failed</c>.</summary>
    public required string Path { get; init; }

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A file modified more recently than this may still be being written, and waits for the next pass.</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; init; } = 64;

    public long MaxMessageBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>
    /// The accounts (user ids) whose files are taken; a file another account owns goes to <c>failed/</c>
    /// unread. Null: the account Hookline runs as. Root's files are always taken (root can write as anyone).
    /// </summary>
    public IReadOnlyList<uint>? Owners { get; init; }
}

/// <summary>
/// A drop folder for trials and bulk imports: every file put in it (at the top level) is handed in
/// as a report, then moved to <c>processed/</c>; only after the store committed it. A file that
/// cannot be read, is over the size limit or is not mail at all (empty, binary, no header field) goes to
/// <c>failed/</c> with a <c>.error</c> note beside it, and no report is made of it; so does anything
/// that is not a regular file with one name (a symbolic or hard link, a FIFO, a device: see
/// <see cref="DropFile"/>), which is never opened or followed.
/// A crash between commit and move hands the file in again on restart, which the store counts as a duplicate.
/// Several servers may share one folder (on PostgreSQL): a file another one took first is passed over.
/// </summary>
public sealed partial class FolderSource(FolderSourceOptions options, IReportSink sink, ILogger<FolderSource> logger) : IReportSource
{
    public string Name => options.Name;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _ = Hookline.Storage.PrivateFiles.CreateFolder(options.Path);
        using var watcher = new FileSystemWatcher(options.Path) { IncludeSubdirectories = false, EnableRaisingEvents = true };
        var changed = new WakeSignal();
        watcher.Created += (_, _) => changed.Notify();
        watcher.Renamed += (_, _) => changed.Notify();
        Log.Watching(logger, Name, options.Path);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                while (await PassAsync(cancellationToken).ConfigureAwait(false) > 0)
                {
                }

                await changed.WaitAsync(options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever a pass meets (a full disk, an unreadable folder, even running out of memory) is
                // logged and the folder is tried again; the files stay where they are until a pass succeeds.
                if (e is OutOfMemoryException)
                {
                    Log.OutOfMemory(logger, e, Name);
                }
                else
                {
                    Log.PassFailed(logger, e, Name);
                }

                await Task.Delay(options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Hands in one batch of settled files; returns how many files it handled.</summary>
    public async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var settledBefore = DateTime.UtcNow - options.SettleTime;
        var files = Directory.EnumerateFiles(options.Path)
            .Where(f => !System.IO.Path.GetFileName(f).StartsWith('.'))
            .Where(f => File.GetLastWriteTimeUtc(f) <= settledBefore)
            .Order(StringComparer.Ordinal)
            .Take(options.BatchSize)
            .ToList();
        if (files.Count == 0)
        {
            return 0;
        }

        var batch = new List<IncomingReport>();
        var taken = new List<string>();
        foreach (var file in files)
        {
            try
            {
                switch (DropFile.Read(file, options.MaxMessageBytes, options.Owners))
                {
                    case DropFile.Outcome.Refused refused:
                        MoveAside(file, "failed", refused.Reason);
                        continue;
                    case DropFile.Outcome.Read read when MailFile.NotMailReason(read.Bytes) is { } notMail:
                        // Not a report at all (empty, binary, no header field): kept in failed/ with the reason, no report made of it.
                        MoveAside(file, "failed", notMail);
                        continue;
                    case DropFile.Outcome.Read read:
                        batch.Add(new IncomingReport(Name, System.IO.Path.GetFileName(file), read.Bytes, new DateTimeOffset(read.LastWriteUtc)));
                        taken.Add(file);
                        continue;
                    default:
                        // Still being written, or taken by another process sharing the folder: a later pass sees it.
                        continue;
                }
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Another process sharing the folder took it first.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                MoveAside(file, "failed", $"cannot be read: {e.Message}");
            }
        }

        if (batch.Count > 0)
        {
            FaultPoint.Hit("folder.after-read");
            var receipts = await sink.AcceptAsync(batch, cancellationToken).ConfigureAwait(false);
            FaultPoint.Hit("folder.after-commit");
            for (var i = 0; i < taken.Count; i++)
            {
                MoveAside(taken[i], "processed", null);
                Log.Taken(logger, Name, taken[i], receipts[i].ReportId, receipts[i].Outcome);
            }
        }

        return files.Count;
    }

    private void MoveAside(string file, string folder, string? error)
    {
        var target = System.IO.Path.Combine(options.Path, folder);
        _ = Hookline.Storage.PrivateFiles.CreateFolder(target);
        var name = System.IO.Path.GetFileName(file);
        var destination = System.IO.Path.Combine(target, name);
        if (File.Exists(destination))
        {
            destination = System.IO.Path.Combine(target, $"{System.IO.Path.GetFileNameWithoutExtension(name)}-{DateTime.UtcNow:yyyyMMddHHmmssfff}{System.IO.Path.GetExtension(name)}");
        }

        try
        {
            File.Move(file, destination);
        }
        catch (FileNotFoundException)
        {
            // Another process sharing the folder moved it first.
            return;
        }

        if (error is not null)
        {
            File.WriteAllText(destination + ".error", error + Environment.NewLine);
            Log.MovedAside(logger, Name, name, folder, error);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "folder source {Name}: watching {Path}")]
        public static partial void Watching(ILogger logger, string name, string path);

        [LoggerMessage(Level = LogLevel.Critical, Message = "folder source {Name}: out of memory in a pass; retrying")]
        public static partial void OutOfMemory(ILogger logger, Exception exception, string name);

        [LoggerMessage(Level = LogLevel.Error, Message = "folder source {Name}: pass failed; retrying")]
        public static partial void PassFailed(ILogger logger, Exception exception, string name);

        [LoggerMessage(Level = LogLevel.Debug, Message = "folder source {Name}: {File} → report {Id} ({Outcome})")]
        public static partial void Taken(ILogger logger, string name, string file, long id, IntakeOutcome outcome);

        [LoggerMessage(Level = LogLevel.Warning, Message = "folder source {Name}: {File} moved to {Folder}: {Error}")]
        public static partial void MovedAside(ILogger logger, string name, string file, string folder, string error);
    }
}
