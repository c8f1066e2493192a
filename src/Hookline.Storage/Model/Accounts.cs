namespace Hookline.Storage.Model;

/// <summary>The roles, least to most: reader (look), analyst (mark and notify), admin (settings, users, keys).</summary>
public static class Roles
{
    public const string Reader = "reader";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Reader, Analyst, Admin];

    /// <summary>True when <paramref name="role"/> is at least <paramref name="required"/>.</summary>
    public static bool AtLeast(string? role, string required) => Rank(role) >= Rank(required) && Rank(required) > 0;

    private static int Rank(string? role) => role switch
    {
        Reader => 1,
        Analyst => 2,
        Admin => 3,
        _ => 0,
    };
}

/// <summary>A local user: a hashed password and one role.</summary>
public sealed class UserAccount
{
    public long Id { get; set; }

    /// <summary>Lower-case; unique.</summary>
    public required string UserName { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>PBKDF2 (see Hookline's PasswordHasher): algorithm, iterations, salt and hash in one string.</summary>
    public required string PasswordHash { get; set; }

    public required string Role { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastLoginAt { get; set; }

    public bool Disabled { get; set; }

    /// <summary>
    /// Random, changed whenever what a session stands for changes: sign-out, password reset, role change,
    /// disabling. A session cookie carries the stamp it was issued with and is refused once they differ.
    /// </summary>
    public string SecurityStamp { get; set; } = "";
}

/// <summary>An API key for automation: only its SHA-256 is stored, with a short prefix to find it.</summary>
public sealed class ApiKey
{
    public long Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The key's first characters, shown in lists and used to look it up.</summary>
    public required string Prefix { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole key (keys are 256-bit random, so a fast hash is enough).</summary>
    public required string Hash { get; set; }

    public required string Role { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}

/// <summary>A named settings document (JSON), e.g. the notification settings.</summary>
public sealed class SettingDocument
{
    public required string Key { get; set; }

    public required string Value { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }
}
