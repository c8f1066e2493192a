using Hookline.Storage;
using Hookline.Web.Ui;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hookline.Web.Pages;

/// <summary>Thirty days at a glance: volume by verdict, time to decision, the most active reporters.</summary>
public sealed class DashboardModel(HooklineStore store) : PageModel
{
    internal DashboardData Data { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Data = await Dashboard.LoadAsync(store, DateTime.UtcNow, cancellationToken);
}
