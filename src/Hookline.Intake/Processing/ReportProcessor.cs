using System.Buffers;
using System.Text;
using System.Text.Json;
using Hookline.Intake.Filters;
using Hookline.Mime.Addresses;
using Hookline.Reports.Contracts;
using Hookline.Reports.Pipeline;
using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.Extensions.Logging;

namespace Hookline.Intake.Processing;

/// <summary>
/// The analysis worker: claims stored reports from the <see cref="WorkQueue"/>, recognises and analyses
/// each from its raw bytes, applies the intake filters, and writes the results back. Nothing here can
/// lose a report: a result is written, or the lease expires and the report is claimed again; a report
/// that throws is recorded as failed with its error, its raw bytes kept.
/// </summary>
public sealed partial class ReportProcessor(WorkQueue queue, ReportAnalyzer analyzer, IntakeFilter filter, ILogger logger)
{
    /// <summary>
    /// Bumped when recognition or analysis changes what they derive; stored with each result.
    /// 2: the score is the risk on one scale for every verdict, and the analysis has the summary, the
    /// weighted matches and the links (so <c>hookline reprocess --outdated</c> rebuilds older reports).
    /// 3: the stored analysis keeps the original's decoded headers (<c>message.headers</c>), so the report
    /// page no longer analyses the raw bytes again.
    /// </summary>
    public const int PipelineVersion = 3;

    public WorkQueue Queue => queue;

    private static readonly JsonNamingPolicy Camel = JsonNamingPolicy.CamelCase;

    /// <summary>Reports claimed per batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Reports analysed at once within a batch.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Claims and processes one batch; returns how many reports it processed (0: the queue is empty).</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken)
    {
        var claimed = await queue.ClaimAsync(BatchSize, cancellationToken).ConfigureAwait(false);
        if (claimed.Count == 0)
        {
            return 0;
        }

        FaultPoint.Hit("analysis.after-claim");
        var results = new ProcessingResult[claimed.Count];
        using (var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var renewal = RenewLeasesAsync(claimed.Select(c => c.Id).ToList(), renewing.Token);
            try
            {
                await Task.Run(
                    () => Parallel.For(0, claimed.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, i =>
                        results[i] = Process(claimed[i])),
                    cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await renewing.CancelAsync().ConfigureAwait(false);
                await renewal.ConfigureAwait(false);
            }
        }

        await queue.CompleteAsync(results, cancellationToken).ConfigureAwait(false);
        return claimed.Count;
    }

    /// <summary>Keeps the batch's leases while it is being analysed: a slow batch (a cold start, huge messages) is not taken over by another worker.</summary>
    private async Task RenewLeasesAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var every = TimeSpan.FromTicks(Math.Max(queue.Lease.Ticks / 3, TimeSpan.FromMilliseconds(100).Ticks));
        while (true)
        {
            try
            {
                await Task.Delay(every, cancellationToken).ConfigureAwait(false);
                await queue.RenewAsync(ids, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Not fatal: at worst the lease runs out, another worker analyses the batch and this result is dropped.
                Log.RenewFailed(logger, e, queue.Owner, ids.Count);
            }
        }
    }

    /// <summary>Processes until the queue is empty; returns how many reports were processed.</summary>
    public async Task<int> DrainAsync(IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var total = 0;
        int done;
        while ((done = await ProcessBatchAsync(cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += done;
            progress?.Report(total);
        }

        return total;
    }

    /// <summary>Runs until cancelled: processes while there is work, otherwise waits for <paramref name="wake"/> or <paramref name="idle"/>.</summary>
    /// <param name="processed">Called after each batch written (the server wakes its notification worker with it).</param>
    public async Task RunAsync(WakeSignal wake, TimeSpan idle, CancellationToken cancellationToken, Action? processed = null)
    {
        ArgumentNullException.ThrowIfNull(wake);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await ProcessBatchAsync(cancellationToken).ConfigureAwait(false) > 0)
                {
                    processed?.Invoke();
                    continue;
                }

                await wake.WaitAsync(idle, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.StoreFailed(logger, e, queue.Owner);
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private ProcessingResult Process(ClaimedReport claimed)
    {
        try
        {
            if (!analyzer.TryAnalyze(claimed.Raw, out var outcome, out var notMail))
            {
                // Not mail at all (a source handed in an empty file or garbage): failed with the reason, raw bytes kept; never a verdict.
                Log.NotMail(logger, claimed.Id, notMail);
                return new ProcessingResult
                {
                    ReportId = claimed.Id,
                    Status = ReportStatus.Failed,
                    Error = notMail,
                    PipelineVersion = PipelineVersion,
                };
            }

            var report = outcome.Report;
            var skip = filter.Check(outcome.Envelope, report);
            var message = outcome.Message;
            var sender = Hookline.Reports.Analysis.Senders.DisplayedSender.Of(message) ?? message.From.OfType<MailboxAddress>().FirstOrDefault();
            return new ProcessingResult
            {
                ReportId = claimed.Id,
                Status = skip is null ? ReportStatus.Analysed : ReportStatus.Skipped,
                SkipReason = skip,
                Format = report is null ? null : Camel.ConvertName(report.Format.ToString()),
                ReporterName = report?.Reporter?.Name,
                ReporterAddress = report?.Reporter?.Address.ToLowerInvariant(),
                UserVerdict = report is null ? null : IntakeFilter.VerdictName(report.UserVerdict),
                VerdictAssumed = report?.VerdictAssumed ?? false,
                NetworkMessageId = report?.NetworkMessageId,
                ReportedAt = report?.ReportedAt?.UtcDateTime ?? outcome.Envelope.Date?.UtcDateTime,
                Subject = Bounded(message.Subject, 1000),
                SenderName = Bounded(sender?.Name, 300),
                SenderAddress = Bounded(sender?.Address.ToLowerInvariant(), 300),
                OriginalMessageId = Bounded(message.MessageId, 1000),
                Assessment = Camel.ConvertName(outcome.Assessment.Verdict.ToString()),
                Score = outcome.Assessment.Score,
                AnalysisJson = Json(claimed.Id, outcome),
                PipelineVersion = PipelineVersion,
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.AnalysisFailed(logger, e, claimed.Id);
            return new ProcessingResult
            {
                ReportId = claimed.Id,
                Status = ReportStatus.Failed,
                Error = $"{e.GetType().Name}: {e.Message}",
                PipelineVersion = PipelineVersion,
            };
        }
    }

    private static string Json(long id, AnalysisOutcome outcome)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, AnalyzeJson.WriterOptions))
        {
            AnalyzeJson.Write(writer, $"report-{id}", outcome, null, headers: true);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string? Bounded(string? text, int max) => text is null || text.Length <= max ? text : text[..max];

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "analysis worker {Owner}: renewing the leases of {Count} reports failed")]
        public static partial void RenewFailed(ILogger logger, Exception exception, string owner, int count);

        [LoggerMessage(Level = LogLevel.Error, Message = "analysis worker {Owner}: the store failed; retrying in 5 s")]
        public static partial void StoreFailed(ILogger logger, Exception exception, string owner);

        [LoggerMessage(Level = LogLevel.Warning, Message = "report {Id}: {Reason}")]
        public static partial void NotMail(ILogger logger, long id, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "report {Id}: analysis failed")]
        public static partial void AnalysisFailed(ILogger logger, Exception exception, long id);
    }
}
