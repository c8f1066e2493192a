namespace Hookline.Mime.Outlook;

/// <summary>
/// The public face of Hookline's compound-file reader (MS-CFB) for callers that need only the
/// directory: which storages and streams an OLE file holds (e.g. VBA macro storages in a .doc).
/// </summary>
public static class CompoundFileDirectory
{
    /// <summary>
    /// The names of every storage and stream reachable from the root, at most <paramref name="maxNames"/>;
    /// empty when the bytes are not a readable compound file. Bounded like every read of the reader.
    /// </summary>
    public static IReadOnlySet<string> EntryNames(ReadOnlyMemory<byte> data, int maxNames = 4096)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!CompoundFile.HasSignature(data.Span) || CompoundFile.Open(data, []) is not { } file)
        {
            return names;
        }

        var pending = new Stack<CfbEntry>();
        var visited = new HashSet<int>();
        pending.Push(file.Root);
        while (pending.Count > 0 && names.Count < maxNames)
        {
            foreach (var child in pending.Pop().Children)
            {
                if (visited.Add(child.Index))
                {
                    names.Add(child.Name);
                    pending.Push(child);
                }
            }
        }

        return names;
    }
}
