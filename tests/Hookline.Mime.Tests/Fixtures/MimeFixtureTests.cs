using Hookline.Mime.Diagnostics;
using Hookline.Mime.Tests.Support;

namespace Hookline.Mime.Tests.Fixtures;

/// <summary>Every .eml under TestData/Mime: its structure matches the golden summary, and writing it back gives the same bytes.</summary>
public class MimeFixtureTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in TestFiles.Fixtures("Mime", ".eml"))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Parse_WhenFixture_MatchesGoldenSummary(string name)
    {
        var path = Path.Combine(TestFiles.DataDirectory, "Mime", name);
        var message = MimeMessage.Load(path);

        TestFiles.AssertGolden(Path.ChangeExtension(path, null) + "-summary.txt", MimeStructure.Describe(message));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Write_WhenFixtureParsed_ReproducesInputBytes(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestFiles.DataDirectory, "Mime", name));
        var message = MimeMessage.Parse(bytes);

        Assert.Equal(bytes, message.ToArray());
        foreach (var entity in message.Entities(intoAttachedMessages: false))
        {
            Assert.Equal(bytes.AsSpan(entity.Range.Start, entity.Range.Length).ToArray(), entity.GetRawBytes().ToArray());
        }
    }
}
