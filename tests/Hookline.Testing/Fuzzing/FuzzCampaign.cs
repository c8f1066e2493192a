using Hookline.Mime;
using Hookline.Testing.Generation;

namespace Hookline.Testing.Fuzzing;

/// <summary>One fuzz input and how to make it again: the campaign's seed, the iteration, the base message and the mutations.</summary>
public sealed record FuzzCase(int Seed, long Iteration, int BaseIndex, int DonorIndex, IReadOnlyList<MutationKind> Mutations, byte[] Input, MimeLimits Limits)
{
    public string Describe() =>
        $"seed {Seed}, iteration {Iteration}: base message {BaseIndex}, donor {DonorIndex}, mutations [{string.Join(", ", Mutations)}], {Input.Length} bytes{(Limits == MimeLimits.Default ? string.Empty : ", tight limits " + Limits)}";
}

/// <summary>
/// A deterministic stream of fuzz inputs: a pool of base messages (generated from the seed, plus any
/// given seed messages) and, for each iteration, 1–3 mutations of one of them, parsed with the default
/// limits or (one iteration in four) with <see cref="TightLimits"/> so every limit is reached often. The same seed, pool
/// options and extra seeds give the same input for the same iteration, so any case can be replayed.
/// </summary>
public sealed class FuzzCampaign
{
    private readonly List<byte[]> _pool;

    /// <param name="seed">Seed of the pool and of every iteration.</param>
    /// <param name="poolSize">How many generated base messages.</param>
    /// <param name="maxBaseBytes">Cap on a generated base message's size (keeps a short run fast).</param>
    /// <param name="extraSeeds">Messages to add to the pool (e.g. a folder of real mail).</param>
    public FuzzCampaign(int seed, int poolSize = 64, int maxBaseBytes = 3_000_000, IEnumerable<byte[]>? extraSeeds = null)
    {
        Seed = seed;
        _pool = [];
        var generator = new MailGenerator(seed);
        for (var i = 0; i < poolSize; i++)
        {
            _pool.Add(generator.Next(maxBaseBytes).Bytes);
        }

        if (extraSeeds is not null)
        {
            _pool.AddRange(extraSeeds);
        }
    }

    /// <summary>Small limits that ordinary mail reaches, so the paths past each limit are exercised.</summary>
    public static MimeLimits TightLimits { get; } = new()
    {
        MaxDepth = 3,
        MaxParts = 12,
        MaxHeaderFieldBytes = 300,
        MaxHeaderBlockBytes = 3000,
        MaxHeaderFields = 25,
        MaxDecodedBytes = 4096,
    };

    public int Seed { get; }

    public IReadOnlyList<byte[]> Pool => _pool;

    /// <summary>The input of <paramref name="iteration"/>.</summary>
    public FuzzCase Case(long iteration)
    {
        var iterationSeed = Mix(Seed, iteration);
        var rng = new Random(iterationSeed);
        var baseIndex = rng.Next(_pool.Count);
        var donorIndex = rng.Next(_pool.Count);
        var mutator = new Mutator(rng.Next());
        var mutations = new List<MutationKind>();
        var limits = rng.Next(4) == 0 ? TightLimits : MimeLimits.Default;
        var input = mutator.MutateMany(_pool[baseIndex], 3, mutations, _pool[donorIndex]);
        return new FuzzCase(Seed, iteration, baseIndex, donorIndex, mutations, input, limits);
    }

    private static int Mix(int seed, long iteration)
    {
        // SplitMix64 finaliser: nearby iterations get unrelated seeds.
        var z = ((ulong)(uint)seed << 32) ^ (ulong)iteration;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
