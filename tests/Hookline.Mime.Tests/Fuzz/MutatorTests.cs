using Hookline.Testing.Fuzzing;
using Hookline.Testing.Generation;

namespace Hookline.Mime.Tests.Fuzz;

public class MutatorTests
{
    [Fact]
    public void Mutate_WithSameSeed_GivesSameBytes()
    {
        var message = MailGenerator.Generate(3).Bytes;
        for (var seed = 0; seed < 20; seed++)
        {
            var a = new Mutator(seed).Mutate(message, out var kindA);
            var b = new Mutator(seed).Mutate(message, out var kindB);
            Assert.Equal(kindA, kindB);
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void Mutate_EveryKind_StaysWithinItsSizeBound()
    {
        var message = MailGenerator.Generate(5).Bytes;
        var small = "Subject: x\r\n\r\ny\r\n"u8.ToArray();
        foreach (var kind in Enum.GetValues<MutationKind>())
        {
            for (var seed = 0; seed < 4; seed++)
            {
                foreach (var input in new[] { message, small, [] })
                {
                    var output = new Mutator(seed).Mutate(input, kind, message);
                    Assert.True(output.Length <= Mutator.MaxOutput(input.Length), $"{kind} seed {seed}: {output.Length} bytes from {input.Length}");
                }
            }
        }
    }

    [Fact]
    public void Campaign_SameIteration_GivesSameInput()
    {
        var a = new FuzzCampaign(9, poolSize: 8, maxBaseBytes: 50_000);
        var b = new FuzzCampaign(9, poolSize: 8, maxBaseBytes: 50_000);
        foreach (var iteration in new long[] { 0, 1, 77, 1_000_000 })
        {
            Assert.Equal(a.Case(iteration).Input, b.Case(iteration).Input);
        }
    }
}
