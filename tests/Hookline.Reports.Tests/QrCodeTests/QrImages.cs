using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Hookline.Reports.Tests.AttachmentTests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Hookline.Reports.Tests.QrCodeTests;

/// <summary>
/// QR codes made in the test with ZXing's own QR writer, painted into ImageSharp images and saved as
/// PNG, JPEG or GIF; PDFs with image XObjects and Office documents written by hand around them; and
/// the messages that carry them (inline cid images, data: URIs, attachments).
/// </summary>
internal static class QrImages
{
    /// <summary>The QR code of <paramref name="text"/> as a grid of modules, <paramref name="scale"/> pixels each, with a 4-module quiet zone.</summary>
    public static BitMatrix Matrix(string text, int scale = 6)
    {
        var natural = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, new Dictionary<EncodeHintType, object> { [EncodeHintType.MARGIN] = 4 });
        return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, natural.Width * scale, natural.Height * scale, new Dictionary<EncodeHintType, object> { [EncodeHintType.MARGIN] = 4 });
    }

    /// <summary>Grey pixels (0 black, 255 white) of the QR code of <paramref name="text"/>, centred on a white canvas of at least its size.</summary>
    public static (byte[] Pixels, int Width, int Height) Pixels(string text, int scale = 6, int canvas = 0)
    {
        var matrix = Matrix(text, scale);
        var side = Math.Max(canvas, Math.Max(matrix.Width, matrix.Height));
        var pixels = new byte[side * side];
        Array.Fill(pixels, (byte)255);
        var left = (side - matrix.Width) / 2;
        var top = (side - matrix.Height) / 2;
        for (var y = 0; y < matrix.Height; y++)
        {
            for (var x = 0; x < matrix.Width; x++)
            {
                if (matrix[x, y])
                {
                    pixels[((top + y) * side) + left + x] = 0;
                }
            }
        }

        return (pixels, side, side);
    }

    public static byte[] Png(string text, int scale = 6, int canvas = 0) => Encode(text, scale, canvas, new PngEncoder());

    public static byte[] Jpeg(string text, int scale = 6) => Encode(text, scale, 0, new JpegEncoder { Quality = 90 });

    public static byte[] Gif(string text, int scale = 6) => Encode(text, scale, 0, new GifEncoder());

    /// <summary>Black modules on a transparent background (what a mail client shows on white).</summary>
    public static byte[] TransparentPng(string text)
    {
        var matrix = Matrix(text);
        using var image = new Image<Rgba32>(matrix.Width, matrix.Height);
        for (var y = 0; y < matrix.Height; y++)
        {
            for (var x = 0; x < matrix.Width; x++)
            {
                image[x, y] = matrix[x, y] ? new Rgba32(0, 0, 0, 255) : new Rgba32(0, 0, 0, 0);
            }
        }

        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }

    /// <summary>A picture with no QR code: a grey gradient.</summary>
    public static byte[] Gradient(int width, int height)
    {
        using var image = new Image<L8>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = new L8((byte)((x + y) * 255 / (width + height)));
            }
        }

        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }

    /// <summary>A valid PNG whose header claims <paramref name="width"/>×<paramref name="height"/> (with one tiny IDAT chunk).</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        Chunk(output, "IHDR", header);
        Chunk(output, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A PDF whose one page shows one 8-bit grey image XObject, deflated (<c>/FlateDecode</c>), optionally with the PNG Up predictor.</summary>
    public static byte[] PdfWithGrayImage(string text, bool predictor = false)
    {
        var (pixels, width, height) = Pixels(text, scale: 4);
        byte[] samples;
        if (predictor)
        {
            // PNG "Up" filter (2) on every row: each byte the difference from the byte above.
            samples = new byte[(width + 1) * height];
            for (var y = 0; y < height; y++)
            {
                samples[y * (width + 1)] = 2;
                for (var x = 0; x < width; x++)
                {
                    var above = y == 0 ? 0 : pixels[((y - 1) * width) + x];
                    samples[(y * (width + 1)) + 1 + x] = (byte)(pixels[(y * width) + x] - above);
                }
            }
        }
        else
        {
            samples = pixels;
        }

        var parms = predictor ? $" /DecodeParms << /Predictor 12 /Colors 1 /BitsPerComponent 8 /Columns {width} >>" : string.Empty;
        return Pdf($"/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode{parms}", Deflate(samples));
    }

    /// <summary>A PDF with a 1-bit stencil mask (<c>/ImageMask true</c>: 0 paints black) of the QR code, deflated.</summary>
    public static byte[] PdfWithImageMask(string text)
    {
        var (pixels, width, height) = Pixels(text, scale: 3);
        var rowBytes = (width + 7) / 8;
        var bits = new byte[rowBytes * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (pixels[(y * width) + x] != 0)
                {
                    bits[(y * rowBytes) + (x / 8)] |= (byte)(0x80 >> (x % 8));
                }
            }
        }

        return Pdf($"/Type /XObject /Subtype /Image /Width {width} /Height {height} /ImageMask true /Filter /FlateDecode", Deflate(bits));
    }

    /// <summary>A PDF with an RGB image whose colour space is an indirect <c>/ICCBased</c> profile (the components are told by the profile's /N).</summary>
    public static byte[] PdfWithIccRgbImage(string text)
    {
        var (pixels, width, height) = Pixels(text, scale: 4);
        var rgb = new byte[pixels.Length * 3];
        for (var i = 0; i < pixels.Length; i++)
        {
            // Dark blue modules on a pale yellow page.
            (rgb[i * 3], rgb[(i * 3) + 1], rgb[(i * 3) + 2]) = pixels[i] == 0 ? ((byte)10, (byte)20, (byte)90) : ((byte)250, (byte)245, (byte)200);
        }

        return Pdf($"/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace [/ICCBased 9 0 R] /BitsPerComponent 8 /Filter /FlateDecode", Deflate(rgb), extra: "9 0 obj\n<< /N 3 /Alternate /DeviceRGB /Length 0 >>\nstream\n\nendstream\nendobj\n");
    }

    /// <summary>A PDF with a JPEG image XObject (<c>/DCTDecode</c>: the stream is the JPEG file).</summary>
    public static byte[] PdfWithJpegImage(string text)
    {
        var jpeg = Jpeg(text, scale: 5);
        using var image = Image.Load(jpeg);
        return Pdf($"/Type /XObject /Subtype /Image /Width {image.Width} /Height {image.Height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", jpeg);
    }

    /// <summary>A one-page PDF: the page draws image XObject 4 (its dictionary entries and stream as given).</summary>
    public static byte[] Pdf(string imageDictionary, byte[] imageStream, string extra = "")
    {
        using var output = new MemoryStream();
        void Write(string s) => output.Write(Encoding.Latin1.GetBytes(s));
        Write("%PDF-1.7\n%\u00E2\u00E3\u00CF\u00D3\n");
        Write("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        Write("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        Write("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 400] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>\nendobj\n");
        Write($"4 0 obj\n<< {imageDictionary} /Length {imageStream.Length} >>\nstream\n");
        output.Write(imageStream);
        Write("\nendstream\nendobj\n");
        var content = "q 300 0 0 300 50 50 cm /Im1 Do Q";
        Write($"5 0 obj\n<< /Length {content.Length} >>\nstream\n{content}\nendstream\nendobj\n");
        Write(extra);
        Write("trailer\n<< /Root 1 0 R >>\n%%EOF\n");
        return output.ToArray();
    }

    /// <summary>A Word document (OOXML) whose body shows <paramref name="media"/> pictures and whose relationships hold <paramref name="externalLinks"/> as hyperlinks.</summary>
    public static byte[] Docx((string Name, byte[] Data)[] media, params string[] externalLinks) =>
        Ooxml("word", "document.xml", media, externalLinks);

    /// <summary>An Excel workbook (OOXML) with pictures under xl/media and external hyperlinks in a sheet's relationships.</summary>
    public static byte[] Xlsx((string Name, byte[] Data)[] media, params string[] externalLinks) =>
        Ooxml("xl", "worksheets/sheet1.xml", media, externalLinks);

    private static byte[] Ooxml(string folder, string mainPart, (string Name, byte[] Data)[] media, string[] externalLinks)
    {
        var relationships = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
        var id = 1;
        foreach (var (name, _) in media)
        {
            relationships.Append($"<Relationship Id=\"rId{id++}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/{name}\"/>");
        }

        foreach (var link in externalLinks)
        {
            var escaped = link.Replace("&", "&amp;", StringComparison.Ordinal);
            relationships.Append($"<Relationship Id=\"rId{id++}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"{escaped}\" TargetMode=\"External\"/>");
        }

        relationships.Append("</Relationships>");
        var mainName = Path.GetFileName(mainPart);
        var mainFolder = Path.GetDirectoryName(mainPart)!.Replace('\\', '/');
        var relsPath = string.IsNullOrEmpty(mainFolder) ? $"{folder}/_rels/{mainName}.rels" : $"{folder}/{mainFolder}/_rels/{mainName}.rels";
        var entries = new List<(string, byte[])>
        {
            ("[Content_Types].xml", TestFiles.Ascii("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"png\" ContentType=\"image/png\"/></Types>")),
            ("_rels/.rels", TestFiles.Ascii($"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"{folder}/{mainPart}\"/></Relationships>")),
            ($"{folder}/{mainPart}", TestFiles.Ascii("<document><body><p>Scan the code below to review the shared document.</p></body></document>")),
            (relsPath, Encoding.UTF8.GetBytes(relationships.ToString())),
        };
        foreach (var (name, data) in media)
        {
            entries.Add(($"{folder}/media/{name}", data));
        }

        return TestFiles.Zip([.. entries]);
    }

    /// <summary>An HTML message whose body shows an inline image by <c>cid:</c> (multipart/related); the image part has a file name unless <paramref name="fileName"/> is null.</summary>
    public static byte[] WithInlineImage(byte[] image, string contentType = "image/png", string? fileName = "image001.png", string from = "it-support@evil.example")
    {
        var name = fileName is null ? string.Empty : $"; name=\"{fileName}\"";
        var disposition = fileName is null ? "inline" : $"inline; filename=\"{fileName}\"";
        var mime = $"From: IT Support <{from}>\r\nTo: bob@contoso.com\r\nSubject: Action required: re-enrol MFA\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/related; boundary=\"rel\"\r\n\r\n"
            + "--rel\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Scan the code with your phone to keep your mailbox.</p><img src=\"cid:qr1@evil.example\" width=\"200\"></body></html>\r\n"
            + $"--rel\r\nContent-Type: {contentType}{name}\r\nContent-ID: <qr1@evil.example>\r\nContent-Disposition: {disposition}\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Convert.ToBase64String(image, Base64FormattingOptions.InsertLineBreaks) + "\r\n--rel--\r\n";
        return Encoding.ASCII.GetBytes(mime);
    }

    /// <summary>An HTML message with the images written as <c>data:</c> URIs in <c>img src</c>.</summary>
    public static byte[] WithDataUris(params (string Subtype, byte[] Data)[] images)
    {
        var body = new StringBuilder("<html><body><p>Scan to verify your account.</p>");
        foreach (var (subtype, data) in images)
        {
            body.Append($"<img alt=\"\" src=\"data:image/{subtype};base64,{Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks)}\">");
        }

        body.Append("</body></html>");
        var mime = $"From: a@example.test\r\nTo: b@example.test\r\nSubject: t\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}\r\n";
        return Encoding.ASCII.GetBytes(mime);
    }

    /// <summary>A message with each image as its own inline part.</summary>
    public static byte[] WithManyImages(IEnumerable<byte[]> images)
    {
        var mime = new StringBuilder("From: a@example.test\r\nTo: b@example.test\r\nSubject: t\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"rel\"\r\n\r\n--rel\r\nContent-Type: text/html\r\n\r\n<p>pictures</p>\r\n");
        var i = 0;
        foreach (var image in images)
        {
            i++;
            mime.Append($"--rel\r\nContent-Type: image/png; name=\"image{i:D3}.png\"\r\nContent-ID: <img{i}@example.test>\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .Append(Convert.ToBase64String(image, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n");
        }

        mime.Append("--rel--\r\n");
        return Encoding.ASCII.GetBytes(mime.ToString());
    }

    private static byte[] Encode(string text, int scale, int canvas, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        var (pixels, width, height) = Pixels(text, scale, canvas);
        using var image = Image.LoadPixelData<L8>(pixels, width, height);
        using var output = new MemoryStream();
        image.Save(output, encoder);
        return output.ToArray();
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndData));
        output.Write(number);
    }

    /// <summary>The CRC-32 PNG chunks carry (ISO 3309, reflected, polynomial 0xEDB88320).</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
