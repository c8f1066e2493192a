using System.Diagnostics;
using System.Text;
using Hookline.Testing.Fuzzing;

namespace Hookline.Mime.Tests.Fuzz;

/// <summary>
/// Fixed-seed fuzzing: thousands of mutated real-shaped messages and every handcrafted hostile case
/// must parse without an exception, write back byte for byte, and stay within the limits.
/// A failure names the seed and iteration, and the command that saves that input again to artifacts/fuzz-crashes.
/// </summary>
public class FuzzTests
{
    public const int Seed = 20_240_601;
    public const int PoolSize = 48;
    public const int MaxBaseBytes = 300_000;
    public const int Iterations = 3_000;
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Fact]
    public void MutatedMessages_ParseWithoutException_AndRoundTrip()
    {
        var campaign = new FuzzCampaign(Seed, PoolSize, MaxBaseBytes);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        var done = 0;
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            // A budget so a slow machine cannot turn this into a many-minute test; the count is the norm.
            if (clock.Elapsed > TimeSpan.FromSeconds(50))
            {
                break;
            }

            var fuzzCase = campaign.Case(iteration);
            var result = FuzzHarness.CheckWithTimeout(fuzzCase.Input, Guard, fuzzCase.Limits);
            done++;
            if (!result.Passed)
            {
                failures.Add($"{fuzzCase.Describe()}\n    {result.Failure}: {FirstLines(result.Detail)}\n    replay: scripts/fuzz.sh --seed {Seed} --pool {PoolSize} --max-base-bytes {MaxBaseBytes} --skip-hostile --start-iteration {iteration} --iterations 1");
                if (result.Failure == FuzzFailureKind.Hang || failures.Count >= 25)
                {
                    break;
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {done} fuzz inputs failed (pool {PoolSize}):\n" + string.Join("\n", failures));
        Assert.True(done >= Iterations / 10, $"Only {done} inputs in the time budget.");
    }

    public static TheoryData<string> HostileCaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var hostile in HostileMessages.All)
        {
            data.Add(hostile.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HostileCaseNames))]
    public void HostileMessage_ParsesWithoutException_AndRoundTrips(string name)
    {
        var hostile = HostileMessages.All.Single(c => c.Name == name);
        var input = hostile.Build();
        var result = FuzzHarness.CheckWithTimeout(input, Guard);
        Assert.True(result.Passed, $"Hostile case {name} ({input.Length} bytes): {result.Failure}: {FirstLines(result.Detail)}");
    }

    [Fact]
    public void Harness_WhenRoundTripHolds_Passes()
    {
        var result = FuzzHarness.Check(Encoding.ASCII.GetBytes("Subject: x\r\n\r\nbody\r\n"));
        Assert.True(result.Passed, result.Detail);
        Assert.Equal(1, result.EntityCount);
    }

    [Fact]
    public void Harness_WhenLimitsAreSmall_ChecksEntityCountAgainstThem()
    {
        var many = HostileMessages.ManyTinyParts(50, "\r\n"u8);
        var result = FuzzHarness.Check(many, MimeLimits.Default with { MaxParts = 10 });
        Assert.True(result.Passed, result.Detail);
        Assert.True(result.EntityCount <= 10, $"{result.EntityCount} entities");
    }

    private static string? FirstLines(string? detail) =>
        detail is null ? null : string.Join("\n      ", detail.Split('\n').Take(4).Select(l => l.TrimEnd('\r')));
}

/// <summary>The smallest reproducers of parser bugs the fuzzer found; each must pass once the bug is fixed.</summary>
public class FuzzRegressionTests
{
    public static TheoryData<string, string, int> Reproducers() => new()
    {
        // Base64Decoder: a final partial quantum ("QU") after the vectorized decoder stops has no room in the output.
        { "Base64TruncatedQuantum", "Content-Transfer-Encoding: base64\r\n\r\nQU", 0 },
        { "Base64TruncatedQuantumAfterWholeOnes", "Content-Transfer-Encoding: base64\r\n\r\nQUJDQU", 0 },

        // MaxParts is checked only at delimiters, so a digest's message/rfc822 parts (two entities each) pass the limit.
        { "DigestPassesMaxParts", "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: x\r\n\r\ny\r\n--d--\r\n", 2 },
    };

    [Theory]
    [MemberData(nameof(Reproducers))]
    public void Reproducer_ParsesWithoutException_AndWithinLimits(string name, string latin1, int maxParts)
    {
        var input = System.Text.Encoding.Latin1.GetBytes(latin1);
        var limits = maxParts > 0 ? MimeLimits.Default with { MaxParts = maxParts } : MimeLimits.Default;
        var result = FuzzHarness.Check(input, limits);
        Assert.True(result.Passed, $"{name}: {result.Failure}: {result.Detail}");
    }
}
