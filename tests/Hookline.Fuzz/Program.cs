using System.Diagnostics;
using System.Globalization;
using Hookline.Mime;
using Hookline.Testing.Fuzzing;

namespace Hookline.Fuzz;

/// <summary>
/// Long fuzz run: mutates generated mail (and any seed messages given with --corpus) and parses each
/// input until the time is up. Crashing, hanging or non-round-tripping inputs are saved with their
/// seed and iteration; the exit code is 1 when any was found, 2 on a hang (the stuck parse cannot be
/// stopped, so the run ends there), 64 on bad arguments.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Options.Usage);
            return 64;
        }

        if (options.Help)
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }

        if (options.Replay is not null)
        {
            return Replay(options);
        }

        return Run(options);
    }

    private static int Replay(Options options)
    {
        var input = File.ReadAllBytes(options.Replay!);
        var result = FuzzHarness.CheckWithTimeout(input, options.Timeout);
        Console.WriteLine(result.Passed
            ? $"PASS {options.Replay}: {input.Length} bytes, {result.EntityCount} entities, {result.Elapsed.TotalMilliseconds:0} ms, warnings {string.Join(",", result.WarningCodes)}"
            : $"FAIL {options.Replay}: {result.Failure}: {result.Detail}");
        return result.Passed ? 0 : 1;
    }

    private static int Run(Options options)
    {
        var extra = new List<byte[]>();
        if (options.Corpus is not null)
        {
            foreach (var file in Directory.EnumerateFiles(options.Corpus, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                extra.Add(File.ReadAllBytes(file));
            }
        }

        Console.WriteLine($"fuzz: seed {options.Seed}, {options.Seconds} s, {options.PoolSize} generated + {extra.Count} corpus messages, per-input guard {options.Timeout.TotalSeconds:0} s, crashes to {options.Output}");
        var campaign = new FuzzCampaign(options.Seed, options.PoolSize, options.MaxBaseBytes, extra);

        // Every handcrafted case once, first.
        var failures = 0;
        var codes = new HashSet<MimeWarningCode>();
        foreach (var hostile in options.SkipHostile ? Array.Empty<HostileCase>() : HostileMessages.All)
        {
            var input = hostile.Build();
            var result = FuzzHarness.CheckWithTimeout(input, options.Timeout);
            codes.UnionWith(result.WarningCodes);
            if (!result.Passed)
            {
                failures++;
                Save(options, $"hostile-{hostile.Name}", input, $"hostile case {hostile.Name}", result);
                if (result.Failure == FuzzFailureKind.Hang)
                {
                    return 2;
                }
            }
        }

        Console.WriteLine($"fuzz: {HostileMessages.All.Count} hostile cases done, {failures} failing");

        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(options.Seconds);
        var lastReport = TimeSpan.Zero;
        long iteration = options.StartIteration;
        long done = 0;
        long bytes = 0;
        while (clock.Elapsed < deadline && done < options.Iterations)
        {
            FuzzCase fuzzCase;
            try
            {
                fuzzCase = campaign.Case(iteration);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OutOfMemoryException or OverflowException)
            {
                // A bug in the mutator, not the parser: say so and go on.
                Console.WriteLine($"MUTATOR ERROR at seed {options.Seed}, iteration {iteration}: {ex.GetType().Name}: {ex.Message}");
                iteration++;
                continue;
            }

            var result = FuzzHarness.CheckWithTimeout(fuzzCase.Input, options.Timeout, fuzzCase.Limits);
            codes.UnionWith(result.WarningCodes);
            done++;
            bytes += fuzzCase.Input.Length;
            if (!result.Passed)
            {
                failures++;
                Save(options, $"seed{fuzzCase.Seed}-iter{fuzzCase.Iteration}", fuzzCase.Input, fuzzCase.Describe(), result);
                if (result.Failure == FuzzFailureKind.Hang)
                {
                    Console.WriteLine("fuzz: stopping after a hang (the stuck parse cannot be stopped).");
                    return 2;
                }
            }

            iteration++;
            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(1))
            {
                lastReport = clock.Elapsed;
                var seconds = clock.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{seconds,6:0}s] iterations {done,9}  {done / seconds,8:0.0} inputs/s  {bytes / seconds / 1048576,7:0.0} MB/s  warning codes {codes.Count,2}  failures {failures}"));
            }
        }

        Console.WriteLine($"fuzz: {done} inputs in {clock.Elapsed.TotalSeconds:0} s (iterations {options.StartIteration}..{iteration - 1}), {failures} failing.");
        Console.WriteLine("fuzz: warning codes seen: " + string.Join(", ", codes.Order()));
        return failures == 0 ? 0 : 1;
    }

    private static void Save(Options options, string name, byte[] input, string description, FuzzResult result)
    {
        Directory.CreateDirectory(options.Output);
        var path = Path.Combine(options.Output, $"{name}-{result.Failure}.eml");
        File.WriteAllBytes(path, input);
        File.WriteAllText(path + ".txt", $"{description}\n{result.Failure}: {result.Detail}\nreplay: scripts/fuzz.sh --replay {path}\n");
        var firstLine = result.Detail?.Split('\n')[0];
        Console.WriteLine($"FAIL {result.Failure}: {description}: {firstLine} -> {path}");
    }

    private sealed class Options
    {
        public const string Usage = """
            usage: fuzz [--seconds N] [--seed S] [--corpus DIR] [--out DIR] [--timeout SEC] [--pool N] [--max-base-bytes B]
                        [--start-iteration I] [--iterations N] [--skip-hostile]
                   fuzz --replay FILE
              --seconds N          how long to mutate and parse (default 60)
              --seed S             campaign seed (default: drawn at random and printed)
              --corpus DIR         add every file under DIR to the base messages
              --out DIR            where failing inputs go (default artifacts/fuzz-crashes)
              --timeout SEC        per-input wall-clock guard (default 10)
              --pool N             generated base messages (default 128)
              --max-base-bytes B   cap on a generated base message (default 3000000)
              --start-iteration I  first iteration
              --iterations N       stop after N inputs (to redo one: --seed S --start-iteration I --iterations 1
                                   with the same --pool, --max-base-bytes and --corpus as the run that found it)
              --skip-hostile       do not run the handcrafted HostileMessages cases first
              --replay FILE        check one saved input and report
            """;

        public double Seconds { get; private set; } = 60;

        public int Seed { get; private set; } = Random.Shared.Next();

        public string? Corpus { get; private set; }

        public string Output { get; private set; } = Path.Combine("artifacts", "fuzz-crashes");

        public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(10);

        public int PoolSize { get; private set; } = 128;

        public long StartIteration { get; private set; }

        public long Iterations { get; private set; } = long.MaxValue;

        public int MaxBaseBytes { get; private set; } = 3_000_000;

        public bool SkipHostile { get; private set; }

        public string? Replay { get; private set; }

        public bool Help { get; private set; }

        public static Options Parse(string[] args)
        {
            var options = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
                switch (arg)
                {
                    case "--seconds":
                        options.Seconds = double.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    case "--seed":
                        options.Seed = int.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    case "--corpus":
                        options.Corpus = Value();
                        if (!Directory.Exists(options.Corpus))
                        {
                            throw new ArgumentException($"No folder {options.Corpus}.");
                        }

                        break;
                    case "--out":
                        options.Output = Value();
                        break;
                    case "--timeout":
                        options.Timeout = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture));
                        break;
                    case "--pool":
                        options.PoolSize = int.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    case "--start-iteration":
                        options.StartIteration = long.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    case "--iterations":
                        options.Iterations = long.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    case "--max-base-bytes":
                        options.MaxBaseBytes = int.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    case "--skip-hostile":
                        options.SkipHostile = true;
                        break;
                    case "--replay":
                        options.Replay = Value();
                        break;
                    case "-h":
                    case "--help":
                        options.Help = true;
                        break;
                    default:
                        throw new ArgumentException($"Unknown argument {arg}.");
                }
            }

            return options;
        }
    }
}
