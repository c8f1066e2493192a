using System.Text.RegularExpressions;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Tests;

/// <summary>The report page's keyboard: p / s / n choose the mark and go to the comment, Enter marks, ? lists them.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task On_a_report_p_s_and_n_choose_the_mark_and_enter_marks_it()
    {
        long id;
        await using (var context = server.Folder.Store.CreateContext())
        {
            // The last unmarked one: the marking test takes the first.
            id = await context.Reports.Where(r => r.MarkedAs == null && r.Status == ReportStatus.Analysed && r.Id != server.HostileReportId).OrderByDescending(r => r.Id).Select(r => r.Id).FirstAsync();
        }

        var page = await SignedInAsync("analyst");
        await page.GotoAsync($"/reports/{id}");
        await page.Keyboard.PressAsync("?");
        Assert.True(await page.Locator("#shortcuts").IsVisibleAsync());
        Assert.Contains("mark as Phishing / Spam / No threats found", await page.Locator("#shortcuts tr.mark-keys").InnerTextAsync(), StringComparison.Ordinal);
        await page.Keyboard.PressAsync("Escape");
        Assert.False(await page.Locator("#shortcuts").IsVisibleAsync());

        foreach (var (key, verdict) in new[] { ("s", "spam"), ("n", "noThreatsFound"), ("p", "phishing") })
        {
            await page.Keyboard.PressAsync(key);
            Assert.Equal(verdict, await page.InputValueAsync("#mark-verdict"));
            Assert.Equal("comment", await page.EvaluateAsync<string>("document.activeElement.name"));
            // Typing a key in the comment is typing, not a shortcut; Esc leaves the field.
            await page.Keyboard.PressAsync("Escape");
        }

        await page.Keyboard.PressAsync("s");
        await page.Keyboard.TypeAsync("bulk mail, not a lure");
        Assert.Equal("spam", await page.InputValueAsync("#mark-verdict"));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex($"/reports/{id}$"));
        Assert.Contains("Marked Spam by analyst1", await page.Locator("#marked-as").InnerTextAsync(), StringComparison.Ordinal);
        await using var check = server.Folder.Store.CreateContext();
        var review = await check.Reviews.SingleAsync(r => r.ReportId == id);
        Assert.Equal(("spam", "bulk mail, not a lure"), (review.Verdict, review.Comment));

        // A reader has no mark form: the keys do nothing and the help does not list them.
        var reader = await SignedInAsync("reader");
        await reader.GotoAsync($"/reports/{id}");
        await reader.Keyboard.PressAsync("p");
        Assert.Equal("BODY", await reader.EvaluateAsync<string>("document.activeElement.tagName"));
        Assert.Equal(0, await reader.Locator("#shortcuts tr.mark-keys").CountAsync());
    }
}
