using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Storage;

/// <summary>Sources' durable positions, one value per key.</summary>
public sealed class CursorStore(HooklineStore store)
{
    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        return await context.SourceCursors.AsNoTracking().Where(c => c.Key == key).Select(c => c.Value)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SetAsync(string key, string? value, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var cursor = await context.SourceCursors.FirstOrDefaultAsync(c => c.Key == key, cancellationToken).ConfigureAwait(false);
        if (value is null)
        {
            if (cursor is not null)
            {
                context.SourceCursors.Remove(cursor);
            }
        }
        else if (cursor is null)
        {
            context.SourceCursors.Add(new SourceCursor { Key = key, Value = value, UpdatedAt = DateTime.UtcNow });
        }
        else
        {
            cursor.Value = value;
            cursor.UpdatedAt = DateTime.UtcNow;
        }

        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
