using System.Diagnostics;
using System.Globalization;

namespace Hookline.Testing.Servers;

/// <summary>
/// A real, throwaway PostgreSQL cluster for one test fixture: <c>initdb</c> into a temporary folder,
/// <c>pg_ctl start</c> on a free loopback port with a private socket folder, run as the <c>postgres</c>
/// system user (the server refuses root). Disposing stops it and deletes the folder. Clusters of
/// several test processes never share anything.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _folder;
    private readonly string _bin;
    private int _databases;

    private PostgresServer(string folder, string bin, int port)
    {
        _folder = folder;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A connection string for the server's maintenance database.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    /// <summary>Starts a new cluster; throws with the server's log when it does not come up.</summary>
    public static PostgresServer Start()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending(StringComparer.Ordinal)
            .Select(v => Path.Combine(v, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql (run scripts/servers/install.sh)");
        var folder = Path.Combine(Path.GetTempPath(), "hookline-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        Run("chown", $"postgres:postgres {folder}");
        var server = new PostgresServer(folder, bin, FreePort.Next());
        try
        {
            server.AsPostgres("initdb", $"-D {folder}/data -U postgres -A trust --no-sync -E UTF8 --locale=C");
            server.AsPostgres("pg_ctl", string.Create(CultureInfo.InvariantCulture,
                $"-D {folder}/data -l {folder}/log -w -t 60 -o \"-p {server.Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start"));
            return server;
        }
        catch
        {
            var log = File.Exists(Path.Combine(folder, "log")) ? File.ReadAllText(Path.Combine(folder, "log")) : "(no log)";
            server.Dispose();
            throw new InvalidOperationException("PostgreSQL did not start:\n" + log);
        }
    }

    /// <summary>Creates a new, empty database and returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = "hookline_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
        AsPostgres("createdb", $"-h 127.0.0.1 -p {Port} -U postgres {name}");
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50");

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path.Combine(_folder, "data")))
            {
                AsPostgres("pg_ctl", $"-D {_folder}/data -m immediate -w stop");
            }
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void AsPostgres(string tool, string arguments) => Run("runuser", $"-u postgres -- {Path.Combine(_bin, tool)} {arguments}");

    private static void Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {arguments} did not finish in 120 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {output.Result}{error.Result}");
        }
    }
}
