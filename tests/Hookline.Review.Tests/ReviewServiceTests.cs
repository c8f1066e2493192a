using Hookline.Notify;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Review.Tests;

/// <summary>
/// <see cref="ReviewService.MarkAsync"/> on a real SQLite store: a mark is checked as a whole before
/// anything is written (verdict, 1 to 500 ids that exist, the comment's length), and a refused one writes
/// no review, no mark, no audit entry and no outbox row; a valid one writes them all.
/// </summary>
public sealed class ReviewServiceTests
{
    private const string Actor = "analyst1";

    [Theory]
    [InlineData("maybe")]
    [InlineData("Phishing")]
    [InlineData("")]
    [InlineData(null)]
    public async Task MarkAsync_WhenVerdictUnknown_RefusesWithAVerdictErrorAndWritesNothing(string? verdict)
    {
        await using var fixture = await ReviewStore.CreateAsync();
        var ids = await fixture.AddReportsAsync(2);
        var before = await fixture.CountAsync();

        var result = await fixture.Reviews.MarkAsync(ids, verdict, null, notify: false, Actor, default);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Outcomes);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ReviewFields.Verdict, error.Field);
        Assert.Contains("noThreatsFound, phishing or spam", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await fixture.CountAsync());
        await AssertUnmarkedAsync(fixture, ids);
    }

    [Fact]
    public async Task MarkAsync_WhenMoreThan500Reports_RefusesWithAnIdsErrorAndWritesNothing()
    {
        await using var fixture = await ReviewStore.CreateAsync();
        var ids = await fixture.AddReportsAsync(ReviewService.MaxReports + 1);
        var before = await fixture.CountAsync();

        var result = await fixture.Reviews.MarkAsync(ids, ReviewVerdicts.Spam, null, notify: false, Actor, default);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ReviewFields.Ids, error.Field);
        Assert.Equal("ids must list 1 to 500 report ids (501 given).", error.Message);
        Assert.Equal(before, await fixture.CountAsync());
        await AssertUnmarkedAsync(fixture, ids);
    }

    [Fact]
    public async Task MarkAsync_WhenNoIds_RefusesWithAnIdsError()
    {
        await using var fixture = await ReviewStore.CreateAsync();
        var before = await fixture.CountAsync();

        foreach (var ids in new[] { null, Array.Empty<long>() })
        {
            var result = await fixture.Reviews.MarkAsync(ids, ReviewVerdicts.Spam, null, notify: false, Actor, default);

            Assert.Equal(ReviewFields.Ids, Assert.Single(result.Errors).Field);
        }

        Assert.Equal(before, await fixture.CountAsync());
    }

    [Fact]
    public async Task MarkAsync_WhenIdsRepeat_CountsEachOnceAndMarksItOnce()
    {
        await using var fixture = await ReviewStore.CreateAsync();
        var ids = await fixture.AddReportsAsync(2);
        var repeated = Enumerable.Repeat(ids, 300).SelectMany(pair => pair).ToList();

        var result = await fixture.Reviews.MarkAsync(repeated, ReviewVerdicts.Spam, null, notify: false, Actor, default);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(ids, result.Outcomes.Select(o => o.ReportId));
        Assert.Equal(2, (await fixture.CountAsync()).Reviews);
    }

    [Fact]
    public async Task MarkAsync_WhenCommentOverTheLimit_RefusesWithACommentErrorAndWritesNothing()
    {
        await using var fixture = await ReviewStore.CreateAsync();
        var ids = await fixture.AddReportsAsync(1);
        var before = await fixture.CountAsync();

        var result = await fixture.Reviews.MarkAsync(ids, ReviewVerdicts.Phishing, new string('c', ReviewService.MaxCommentLength + 1), notify: false, Actor, default);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ReviewFields.Comment, error.Field);
        Assert.Equal("comment must be at most 2000 characters (2001 given).", error.Message);
        Assert.Equal(before, await fixture.CountAsync());
        await AssertUnmarkedAsync(fixture, ids);

        // The limit itself is allowed.
        Assert.True((await fixture.Reviews.MarkAsync(ids, ReviewVerdicts.Phishing, new string('c', ReviewService.MaxCommentLength), notify: false, Actor, default)).Succeeded);
    }

    [Fact]
    public async Task MarkAsync_WhenOneIdIsMissingAmongExistingOnes_RefusesAndWritesNothingForAny()
    {
        await using var fixture = await ReviewStore.CreateAsync(deliveryConfigured: true);
        await fixture.Settings.SaveAsync(NotificationDefaults.Settings with { SenderAddress = "security@contoso.com" }, "test", default);
        var ids = await fixture.AddReportsAsync(3);
        var missing = ids.Max() + 1000;
        var before = await fixture.CountAsync();

        // The missing id comes after two that exist: they must not be marked either.
        var result = await fixture.Reviews.MarkAsync([ids[0], ids[1], missing, ids[2]], ReviewVerdicts.Phishing, "lure", notify: true, Actor, default);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ReviewFields.Ids, error.Field);
        Assert.Equal($"report {missing} does not exist.", error.Message);
        Assert.Equal(before, await fixture.CountAsync());
        await AssertUnmarkedAsync(fixture, ids);
        Assert.False(await fixture.Signal.Wake.WaitAsync(TimeSpan.Zero, CancellationToken.None), "nothing was queued: the notification worker is not woken");
    }

    [Fact]
    public async Task MarkAsync_WhenSeveralThingsAreWrong_NamesEachField()
    {
        await using var fixture = await ReviewStore.CreateAsync();
        var ids = await fixture.AddReportsAsync(1);

        var result = await fixture.Reviews.MarkAsync([ids[0], ids[0] + 1, ids[0] + 2], "maybe", new string('c', 2001), notify: false, Actor, default);

        Assert.Equal([ReviewFields.Verdict, ReviewFields.Comment, ReviewFields.Ids], result.Errors.Select(e => e.Field));
        Assert.Equal($"reports {ids[0] + 1}, {ids[0] + 2} do not exist.", result.ErrorsByField()[ReviewFields.Ids].Single());
        Assert.Equal("verdict must be noThreatsFound, phishing or spam ('maybe' given).", result.ErrorsByField()[ReviewFields.Verdict].Single());
    }

    [Fact]
    public async Task MarkAsync_WhenValid_WritesTheReviewTheMarkAndTheAuditEntry()
    {
        await using var fixture = await ReviewStore.CreateAsync();
        var ids = await fixture.AddReportsAsync(2);
        var before = await fixture.CountAsync();

        var result = await fixture.Reviews.MarkAsync(ids, ReviewVerdicts.Phishing, "  credential lure ", notify: false, Actor, default);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Empty(result.Errors);
        Assert.Equal(ids, result.Outcomes.Select(o => o.ReportId));
        Assert.All(result.Outcomes, o => Assert.False(o.Notified));
        Assert.Equal((before.Reviews + 2, before.Audit + 2, before.Outbox), await fixture.CountAsync());

        await using var context = fixture.Store.CreateContext();
        foreach (var outcome in result.Outcomes)
        {
            var review = await context.Reviews.AsNoTracking().SingleAsync(r => r.Id == outcome.ReviewId);
            Assert.Equal((outcome.ReportId, ReviewVerdicts.Phishing, "credential lure", Actor, false), (review.ReportId, review.Verdict, review.Comment, review.ReviewedBy, review.Notify));
            var report = await context.Reports.AsNoTracking().SingleAsync(r => r.Id == outcome.ReportId);
            Assert.Equal((ReviewVerdicts.Phishing, Actor), (report.MarkedAs, report.MarkedBy));
            var audit = await context.AuditEvents.AsNoTracking().SingleAsync(a => a.ReportId == outcome.ReportId && a.Action == AuditActions.Reviewed);
            Assert.Equal(Actor, audit.Actor);
            Assert.Equal("phishing; reporter not notified (not asked); comment: credential lure", audit.Detail);
        }
    }

    [Fact]
    public async Task MarkAsync_WhenValidWithNotifyAndADelivery_QueuesTheResultAndWakesTheWorker()
    {
        await using var fixture = await ReviewStore.CreateAsync(deliveryConfigured: true);
        await fixture.Settings.SaveAsync(NotificationDefaults.Settings with { SenderAddress = "security@contoso.com" }, "test", default);
        var ids = await fixture.AddReportsAsync(1);

        var result = await fixture.Reviews.MarkAsync(ids, ReviewVerdicts.Spam, null, notify: true, Actor, default);

        var outcome = Assert.Single(result.Outcomes);
        Assert.True(outcome.Notified);
        Assert.Equal("pending", outcome.NotificationState);
        await using var context = fixture.Store.CreateContext();
        var queued = await context.Outbox.AsNoTracking().SingleAsync();
        Assert.Equal(("result", outcome.ReviewId, $"result:review:{outcome.ReviewId}", "rita@contoso.com"), (queued.Kind, queued.ReviewId, queued.IdempotencyKey, queued.Recipient));
        Assert.True(await fixture.Signal.Wake.WaitAsync(TimeSpan.Zero, CancellationToken.None), "a queued result wakes the notification worker");
    }

    [Fact]
    public async Task MarkAsync_WhenNotifyButNoDelivery_MarksAndRecordsWhyNothingWasQueued()
    {
        await using var fixture = await ReviewStore.CreateAsync(deliveryConfigured: false);
        await fixture.Settings.SaveAsync(NotificationDefaults.Settings with { SenderAddress = "security@contoso.com" }, "test", default);
        var ids = await fixture.AddReportsAsync(1);

        var result = await fixture.Reviews.MarkAsync(ids, ReviewVerdicts.Spam, null, notify: true, Actor, default);

        var outcome = Assert.Single(result.Outcomes);
        Assert.False(outcome.Notified);
        Assert.Equal(ResultDelivery.NoDelivery, outcome.NotifySkipped);
        Assert.Equal(0, (await fixture.CountAsync()).Outbox);
    }

    private static async Task AssertUnmarkedAsync(ReviewStore fixture, IEnumerable<long> ids)
    {
        var list = ids.ToList();
        await using var context = fixture.Store.CreateContext();
        Assert.Empty(await context.Reports.AsNoTracking().Where(r => list.Contains(r.Id) && r.MarkedAs != null).Select(r => r.Id).ToListAsync());
    }
}
