using System.Security.Cryptography;
using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Security;

/// <summary>Local users (PBKDF2 password hashes from the framework's hasher) and API keys (stored as SHA-256).</summary>
internal sealed class AccountService(HooklineStore store)
{
    /// <summary>API keys start with this, so a leaked key is recognisable (secret scanners, logs).</summary>
    public const string KeyPrefix = "hlk_";

    private static readonly PasswordHasher<UserAccount> Hasher = new();

    /// <summary>Creates a user; throws <see cref="InvalidOperationException"/> when the name is taken or the role unknown.</summary>
    public async Task<UserAccount> AddUserAsync(string userName, string password, string role, string actor, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role))
        {
            throw new InvalidOperationException($"unknown role '{role}' (reader, analyst or admin)");
        }

        if (password.Length < 12)
        {
            throw new InvalidOperationException("the password must have at least 12 characters");
        }

        var user = new UserAccount { UserName = userName.Trim().ToLowerInvariant(), PasswordHash = "", Role = role, CreatedAt = DateTime.UtcNow };
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
        var result = user is null || user.Disabled ? PasswordVerificationResult.Failed : Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
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

    public async Task<bool> AnyUserAsync(CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        return await context.Users.AnyAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
}
