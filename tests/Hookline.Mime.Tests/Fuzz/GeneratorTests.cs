using Hookline.Testing.Generation;

namespace Hookline.Mime.Tests.Fuzz;

/// <summary>The generator itself: deterministic, clean mail, and truth that matches what a parser finds.</summary>
public class GeneratorTests
{
    [Fact]
    public void Corpus_WithSameSeed_IsIdentical()
    {
        var a = MailGenerator.Corpus(40, 11);
        var b = MailGenerator.Corpus(40, 11);
        Assert.Equal(a.Select(m => m.Bytes), b.Select(m => m.Bytes));
        Assert.NotEqual(a[0].Bytes, MailGenerator.Corpus(1, 12)[0].Bytes);
    }

    [Fact]
    public void Corpus_UsesCrlfOnly_AndCoversEveryShapeAndStyle()
    {
        var corpus = MailGenerator.Corpus(300, 21);
        foreach (var message in corpus)
        {
            var bytes = message.Bytes;
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    Assert.True(i > 0 && bytes[i - 1] == (byte)'\r', $"{message}: bare LF at {i}");
                }
            }
        }

        var shapes = corpus.Select(m => m.Shape).Distinct().Count();
        var styles = corpus.Select(m => m.Style).Distinct().Count();
        Assert.Equal(7, shapes);
        Assert.Equal(Enum.GetValues<MailStyle>().Length, styles);
    }

    [Fact]
    public void Corpus_SizesAreLikeRealMail()
    {
        var sizes = MailGenerator.Corpus(200, 31).Select(m => m.Bytes.Length).ToList();
        var small = sizes.Count(s => s < 40_000);
        Assert.True(small > sizes.Count * 0.65, $"only {small} of {sizes.Count} under 40 KB");
        Assert.True(sizes.Any(s => s > 45_000), "no message over 45 KB");
        Assert.True(sizes.Max() < 4_000_000, $"largest is {sizes.Max()} bytes");
    }

    [Fact]
    public void Corpus_ParsesWithoutWarnings_AndMatchesTheGeneratorsStructure()
    {
        foreach (var generated in MailGenerator.Corpus(150, 41))
        {
            var message = MimeMessage.Parse(generated.Bytes);
            Assert.True(message.Warnings.Count == 0, $"{generated}: {string.Join("; ", message.Warnings)}");
            Assert.Equal(generated.Bytes, message.ToArray());
            var entities = message.Entities().ToList();
            Assert.True(generated.EntityCount == entities.Count, $"{generated}: parser found {entities.Count} entities");
            Assert.Equal(generated.MaxDepth, entities.Max(e => e.Depth));
            Assert.Equal(generated.AttachedMessageCount, entities.OfType<MessagePart>().Count());
        }
    }

    [Fact]
    public void Corpus_AsciiFileNames_MatchTheGeneratorsTruth()
    {
        foreach (var generated in MailGenerator.Corpus(150, 51))
        {
            if (!generated.FileNames.All(n => System.Text.Ascii.IsValid(n)))
            {
                continue;
            }

            var names = MimeMessage.Parse(generated.Bytes).Entities().Select(e => e.FileName).OfType<string>().ToList();
            Assert.Equal(generated.FileNames, names);
        }
    }

    /// <summary>Non-ASCII names come as RFC 2231 (whole and continued) and RFC 2047 inside quoted values.</summary>
    [Fact]
    public void Corpus_EncodedFileNames_MatchTheGeneratorsTruth()
    {
        var failures = new List<string>();
        foreach (var generated in MailGenerator.Corpus(150, 51))
        {
            var names = MimeMessage.Parse(generated.Bytes).Entities().Select(e => e.FileName).OfType<string>().ToList();
            if (!generated.FileNames.SequenceEqual(names))
            {
                failures.Add($"{generated}: expected [{string.Join(" | ", generated.FileNames)}], parsed [{string.Join(" | ", names)}]");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
    }

    [Fact]
    public void Subjects_DecodeToTheGeneratorsText()
    {
        var failures = new List<string>();
        foreach (var generated in MailGenerator.Corpus(100, 61))
        {
            var subject = MimeMessage.Parse(generated.Bytes).Subject;
            if (subject != generated.Subject)
            {
                failures.Add($"{generated}: expected '{generated.Subject}', parsed '{subject}'");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
    }

    [Fact]
    public void HeaderHeavy_IsAboutFourKilobytesOfAboutFiftyFields()
    {
        var bytes = MailGenerator.HeaderHeavy();
        Assert.InRange(bytes.Length, 3_500, 5_000);
        var message = MimeMessage.Parse(bytes);
        Assert.Empty(message.Warnings);
        Assert.InRange(message.Headers.Count, 40, 70);
        Assert.Equal(bytes, MailGenerator.HeaderHeavy());
    }

    [Theory]
    [InlineData(1_000_000)]
    [InlineData(10_000_000)]
    public void LargeWithAttachments_IsAboutTheTargetSize(int target)
    {
        var bytes = MailGenerator.LargeWithAttachments(target);
        Assert.InRange(bytes.Length, target * 0.85, target * 1.15);
        var message = MimeMessage.Parse(bytes);
        Assert.Empty(message.Warnings);
        Assert.True(message.Entities().Count(e => e.IsAttachment) >= 3);
    }
}
