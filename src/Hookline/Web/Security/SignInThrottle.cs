using System.Globalization;
using System.Threading.RateLimiting;

namespace Hookline.Web.Security;

/// <summary>
/// Sign-in attempts per account, whatever address they come from: the per-address limit (the "login"
/// rate-limit policy) stops one client, this stops many clients guessing one account's password.
/// The price is that an attacker can hold an account's sign-in back for one window; the owner's
/// existing sessions are not affected. Counted on the name as looked up (trimmed, lower case), for
/// unknown names too, so the answer does not tell which exist.
/// </summary>
internal sealed class SignInThrottle(int attempts, TimeSpan window) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(name =>
        RateLimitPartition.GetFixedWindowLimiter(name, _ => new FixedWindowRateLimiterOptions { PermitLimit = attempts, Window = window, QueueLimit = 0 }));

    /// <summary>Null when an attempt on <paramref name="userName"/> may go ahead; else how long to wait.</summary>
    public TimeSpan? Check(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        using var lease = _limiter.AttemptAcquire(userName.Trim().ToLowerInvariant());
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
    }

    /// <summary>The Retry-After value for <paramref name="wait"/>: whole seconds, at least 1.</summary>
    public static string RetryAfter(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _limiter.Dispose();
}
