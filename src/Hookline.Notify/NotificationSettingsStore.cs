using System.Text.Json;
using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Notify;

/// <summary>
/// The notification settings as one JSON document in the store's Settings table under the key
/// <c>notifications</c>. Saving validates first; every save and restore writes an audit entry
/// (<c>settings-changed</c>, <c>settings-restored</c>) in the same transaction. With
/// <paramref name="organizationDomains"/> (the server passes them), acknowledgements cannot be
/// switched on while the organisation has no domains.
/// </summary>
public sealed class NotificationSettingsStore(HooklineStore store, IReadOnlyList<string>? organizationDomains = null) : INotificationSettingsStore
{
    public const string Key = "notifications";

    public const string ChangedAction = "settings-changed";

    public const string RestoredAction = "settings-restored";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<NotificationSettings> GetAsync(CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var document = await context.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == Key, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return NotificationDefaults.Settings;
        }

        try
        {
            return JsonSerializer.Deserialize<NotificationSettings>(document.Value, Json) ?? NotificationDefaults.Settings;
        }
        catch (JsonException)
        {
            // A document nobody can read must not stop the server: fall back to the defaults (which send nothing without a sender).
            return NotificationDefaults.Settings;
        }
    }

    public async Task SaveAsync(NotificationSettings settings, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        NotificationValidation.ThrowIfInvalid(settings, organizationDomains);
        var before = await GetAsync(cancellationToken).ConfigureAwait(false);
        await WriteAsync(settings, actor, ChangedAction, Describe(before, settings), cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveLogoAsync(string? contentType, string? base64, string actor, CancellationToken cancellationToken)
    {
        var errors = NotificationValidation.ValidateLogo(contentType, base64);
        if (errors.Count > 0)
        {
            throw new NotificationSettingsException(errors);
        }

        var before = await GetAsync(cancellationToken).ConfigureAwait(false);
        var detail = base64 is null ? "logo removed" : $"logo replaced ({contentType})";
        await WriteAsync(before with { LogoContentType = contentType, LogoBase64 = base64 }, actor, ChangedAction, detail, cancellationToken).ConfigureAwait(false);
    }

    public async Task<NotificationSettings> RestoreDefaultsAsync(string actor, CancellationToken cancellationToken)
    {
        await WriteAsync(NotificationDefaults.Settings, actor, RestoredAction, "defaults restored (texts, sender and logo)", cancellationToken).ConfigureAwait(false);
        return NotificationDefaults.Settings;
    }

    private async Task WriteAsync(NotificationSettings settings, string actor, string action, string detail, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var now = DateTime.UtcNow;
        var document = await context.Settings.FirstOrDefaultAsync(s => s.Key == Key, cancellationToken).ConfigureAwait(false);
        var json = JsonSerializer.Serialize(settings, Json);
        if (document is null)
        {
            context.Settings.Add(new SettingDocument { Key = Key, Value = json, UpdatedAt = now, UpdatedBy = actor });
        }
        else
        {
            document.Value = json;
            document.UpdatedAt = now;
            document.UpdatedBy = actor;
        }

        context.AuditEvents.Add(new AuditEvent { At = now, Actor = actor, Action = action, Detail = detail });
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The names of the fields that changed (not their values: texts are long, and the audit trail is not the place for them).</summary>
    private static string Describe(NotificationSettings before, NotificationSettings after)
    {
        var a = JsonSerializer.SerializeToElement(before, Json);
        var b = JsonSerializer.SerializeToElement(after, Json);
        var changed = b.EnumerateObject()
            .Where(p => !a.TryGetProperty(p.Name, out var old) || old.GetRawText() != p.Value.GetRawText())
            .Select(p => p.Name)
            .ToList();
        return changed.Count == 0 ? "saved without changes" : "changed: " + string.Join(", ", changed);
    }
}
