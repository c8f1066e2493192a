using System.Text;

namespace Hookline.Mime.Tests.Reading;

public class SmokeTests
{
    [Fact]
    public void Parse_WhenMultipartAlternative_SplitsPartsAndRoundTrips()
    {
        var text = "From: a@example.test\r\nSubject: Hi\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\nPGI+aGk8L2I+\r\n--b1--\r\nepilogue\r\n";
        var bytes = Encoding.ASCII.GetBytes(text);
        var message = MimeMessage.Parse(bytes);
        var multipart = Assert.IsType<Multipart>(message.Body);
        Assert.Equal(2, multipart.Children.Count);
        var html = Assert.IsType<MimePart>(multipart.Children[1].Entity);
        Assert.Equal("<b>hi</b>", html.GetText());
        Assert.Equal("hello", Assert.IsType<MimePart>(multipart.Children[0].Entity).GetText());
        Assert.Equal(bytes, message.ToArray());
        Assert.Empty(message.Warnings);
    }
}
