using System.Globalization;
using Xunit.Abstractions;

namespace Hookline.Mime.Tests.Corpus;

/// <summary>Real mail from the SpamAssassin public corpus: ham and spam from 2002, with every defect real mailers and spammers produce.</summary>
public class SpamAssassinCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void Parse_WhenEveryCorpusMessage_RoundTripsAndDecodesEveryPart()
    {
        var files = Support.Corpus.Files();
        Assert.True(files.Count >= 6000, $"Expected the whole corpus (about 6,046 messages), found {files.Count}.");

        var warnings = new Dictionary<MimeWarningCode, int>();
        var entities = 0;
        var failures = new List<string>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var message = MimeMessage.Parse(bytes);
            if (!bytes.AsSpan().SequenceEqual(message.ToArray()))
            {
                failures.Add($"{file}: written bytes differ from the input");
            }

            foreach (var entity in message.Entities())
            {
                entities++;
                foreach (var header in entity.Headers)
                {
                    _ = header.Value;
                }

                if (entity is MimePart part)
                {
                    _ = part.IsText ? part.GetText().Length : part.DecodeContent().Length;
                }
            }

            if (string.IsNullOrEmpty(message.Headers["From"]) && string.IsNullOrEmpty(message.Headers["Subject"]))
            {
                failures.Add($"{file}: neither From nor Subject was found");
            }

            foreach (var warning in message.Warnings)
            {
                warnings[warning.Code] = warnings.GetValueOrDefault(warning.Code) + 1;
            }
        }

        output.WriteLine($"{files.Count} messages, {entities} entities");
        foreach (var (code, count) in warnings.OrderBy(w => w.Key))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{code}: {count}"));
        }

        Assert.Empty(failures);
    }
}
