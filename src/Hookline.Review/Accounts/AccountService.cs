using System.Security.Cryptography;
using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Review.Accounts;

/// <summary>
/// Local users (PBKDF2 password hashes from the framework's hasher) and API keys (stored as SHA-256),
/// and their life cycle: disable and enable, reset a password, change a role, revoke a key. Every change
/// is audited, and every change to a user gives it a new security stamp, which ends its sessions
/// (<see cref="FindSessionUserAsync"/> is asked on every request). The web side keeps the stamp in the
/// session cookie (<c>SessionClaims.Stamp</c>); nothing here knows of cookies or requests.
/// </summary>
public sealed class AccountService(HooklineStore store)
{
    public const int MinPasswordLength = 12;

    /// <summary>API keys start with this, so a leaked key is recognisable (secret scanners, logs).</summary>
    public const string KeyPrefix = "hlk_";

    private static readonly PasswordHasher<UserAccount> Hasher = new();

    private static readonly UserAccount DummyUser = new() { UserName = "", PasswordHash = "", Role = Roles.Reader };

    private static readonly string DummyHash = Hasher.HashPassword(DummyUser, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    /// <summary>Creates a user; throws <see cref="InvalidOperationException"/> when the name is taken or the role unknown.</summary>
    public async Task<UserAccount> AddUserAsync(string userName, string password, string role, string actor, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role))
        {
            throw new InvalidOperationException($"unknown role '{role}' (reader, analyst or admin)");
        }

        CheckPassword(password);
        var user = new UserAccount { UserName = userName.Trim().ToLowerInvariant(), PasswordHash = "", Role = role, CreatedAt = DateTime.UtcNow, SecurityStamp = NewStamp() };
        user.PasswordHash = Hasher.HashPassword(user, password);
        await using var context = store.CreateContext();
        if (await context.Users.AnyAsync(u => u.UserName == user.UserName, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"user '{user.UserName}' already exists");
        }

        context.Users.Add(user);
        context.AuditEvents.Add(new AuditEvent { At = user.CreatedAt, Actor = actor, Action = "user-added", Detail = $"{user.UserName} ({role})" });
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return user;
    }

    /// <summary>The user when the password matches (and records the login), else null. Every attempt is audited.</summary>
    public async Task<UserAccount?> SignInAsync(string userName, string password, string from, CancellationToken cancellationToken)
    {
        var name = userName.Trim().ToLowerInvariant();
        await using var context = store.CreateContext();
        var user = await context.Users.FirstOrDefaultAsync(u => u.UserName == name, cancellationToken).ConfigureAwait(false);
        PasswordVerificationResult result;
        if (user is null || user.Disabled)
        {
            // The same work as for a real user, so the answer's time does not tell whether the name exists.
            Hasher.VerifyHashedPassword(DummyUser, DummyHash, password);
            result = PasswordVerificationResult.Failed;
        }
        else
        {
            result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        }

        var now = DateTime.UtcNow;
        if (result == PasswordVerificationResult.Failed)
        {
            context.AuditEvents.Add(new AuditEvent { At = now, Actor = name.Length > 64 ? name[..64] : name, Action = "login-failed", Detail = from });
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user!.PasswordHash = Hasher.HashPassword(user, password);
        }

        user!.LastLoginAt = now;
        if (string.IsNullOrEmpty(user.SecurityStamp))
        {
            user.SecurityStamp = NewStamp();
        }

        context.AuditEvents.Add(new AuditEvent { At = now, Actor = user.UserName, Action = "login", Detail = from });
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return user;
    }

    /// <summary>Creates an API key; returns the key itself, shown once and never stored.</summary>
    public async Task<string> AddApiKeyAsync(string name, string role, string actor, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role))
        {
            throw new InvalidOperationException($"unknown role '{role}' (reader, analyst or admin)");
        }

        var key = KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var context = store.CreateContext();
        var now = DateTime.UtcNow;
        context.ApiKeys.Add(new ApiKey { Name = name, Prefix = key[..12], Hash = Hash(key), Role = role, CreatedBy = actor, CreatedAt = now });
        context.AuditEvents.Add(new AuditEvent { At = now, Actor = actor, Action = "api-key-added", Detail = $"{name} ({role}, {key[..12]}…)" });
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>The key's record when it is valid and not revoked, else null.</summary>
    public async Task<ApiKey?> FindApiKeyAsync(string key, CancellationToken cancellationToken)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key.Length < 20 || key.Length > 100)
        {
            return null;
        }

        var hash = Hash(key);
        await using var context = store.CreateContext();
        var found = await context.ApiKeys.FirstOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, cancellationToken).ConfigureAwait(false);
        if (found is not null && (found.LastUsedAt is null || found.LastUsedAt < DateTime.UtcNow.AddMinutes(-5)))
        {
            found.LastUsedAt = DateTime.UtcNow;
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return found;
    }

    /// <summary>The user a session cookie stands for, while it still does: it exists, is not disabled, and its stamp is the cookie's. Else null.</summary>
    public async Task<UserAccount?> FindSessionUserAsync(string? userName, string? stamp, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(stamp))
        {
            return null;
        }

        await using var context = store.CreateContext();
        var user = await context.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken).ConfigureAwait(false);
        return user is { Disabled: false } && user.SecurityStamp.Length > 0 && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(user.SecurityStamp), System.Text.Encoding.UTF8.GetBytes(stamp)) ? user : null;
    }

    /// <summary>Ends every session of the user (sign-out): a new stamp. Unknown names are ignored.</summary>
    public Task SignOutEverywhereAsync(string userName, CancellationToken cancellationToken) =>
        ChangeUserAsync(userName, "logout", null, _ => null, cancellationToken, mustExist: false);

    /// <summary>Disables or enables a user; a disabled user cannot sign in and its sessions end at once.</summary>
    public Task SetDisabledAsync(string userName, bool disabled, string actor, CancellationToken cancellationToken) =>
        ChangeUserAsync(userName, disabled ? "user-disabled" : "user-enabled", actor, user =>
        {
            user.Disabled = disabled;
            return null;
        }, cancellationToken);

    /// <summary>Sets a new password (at least <see cref="MinPasswordLength"/> characters); the user's sessions end.</summary>
    public Task ResetPasswordAsync(string userName, string password, string actor, CancellationToken cancellationToken)
    {
        CheckPassword(password);
        return ChangeUserAsync(userName, "password-reset", actor, user =>
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
            return null;
        }, cancellationToken);
    }

    /// <summary>Gives the user another role; its sessions end (they carried the old one).</summary>
    public Task SetRoleAsync(string userName, string role, string actor, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role))
        {
            throw new InvalidOperationException($"unknown role '{role}' (reader, analyst or admin)");
        }

        return ChangeUserAsync(userName, "user-role-changed", actor, user =>
        {
            var before = user.Role;
            user.Role = role;
            return $"{before} → {role}";
        }, cancellationToken);
    }

    /// <summary>Revokes the API key with this prefix (as listed); throws when there is none or it is revoked already.</summary>
    public async Task RevokeApiKeyAsync(string prefix, string actor, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var key = await context.ApiKeys.FirstOrDefaultAsync(k => k.Prefix == prefix && k.RevokedAt == null, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"no active API key starts with '{prefix}'");
        var now = DateTime.UtcNow;
        key.RevokedAt = now;
        context.AuditEvents.Add(new AuditEvent { At = now, Actor = actor, Action = "api-key-revoked", Detail = $"{key.Name} ({key.Role}, {key.Prefix}…)" });
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<UserAccount>> ListUsersAsync(CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        return await context.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        return await context.ApiKeys.AsNoTracking().OrderBy(k => k.RevokedAt != null).ThenBy(k => k.Name).ThenBy(k => k.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> AnyUserAsync(CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        return await context.Users.AnyAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ChangeUserAsync(string userName, string action, string? actor, Func<UserAccount, string?> change, CancellationToken cancellationToken, bool mustExist = true)
    {
        var name = userName.Trim().ToLowerInvariant();
        await using var context = store.CreateContext();
        var user = await context.Users.FirstOrDefaultAsync(u => u.UserName == name, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            if (mustExist)
            {
                throw new InvalidOperationException($"no user '{name}'");
            }

            return;
        }

        var detail = change(user);
        user.SecurityStamp = NewStamp();
        context.AuditEvents.Add(new AuditEvent { At = DateTime.UtcNow, Actor = actor ?? user.UserName, Action = action, Detail = detail is null ? user.UserName : $"{user.UserName}: {detail}" });
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void CheckPassword(string password)
    {
        if (password.Length < MinPasswordLength)
        {
            throw new InvalidOperationException($"the password must have at least {MinPasswordLength} characters");
        }
    }

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
}
