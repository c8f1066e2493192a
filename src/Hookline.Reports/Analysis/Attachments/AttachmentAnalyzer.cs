using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Hookline.Mime;
using Hookline.Reports.Analysis.QrCodes;
using Hookline.Reports.Analysis.Structure;
using Hookline.Reports.Analysis.Urls;

namespace Hookline.Reports.Analysis.Attachments;

/// <summary>
/// Lists every attachment (a leaf with a file name or disposition attachment, and every attached
/// message) with its SHA-256, finds what each really is and what it can do: true type against name
/// and declared type, double extensions, programs, scripts and disk images, ZIP directories (read by
/// <see cref="ZipReader"/>: encryption, bombs, programs inside, nested archives as deep as the limits allow), Office
/// macros (OOXML <c>vbaProject.bin</c>, OLE VBA storages), PDF actions and links, HTML credential
/// forms and smuggling. Links in PDF, HTML, SVG and Office attachments, and QR codes in the images of
/// PDF and Office attachments (<see cref="QrCodeScanner"/>), become URL findings. Attached messages —
/// message/rfc822 parts and .eml, .msg and TNEF files — are analysed with the same stages through
/// <see cref="AnalysisContext.AnalyzeAttached"/>.
/// </summary>
public sealed class AttachmentAnalyzer : IMessageAnalyzer
{
    /// <summary>Bytes inflated at most per message for nested archives.</summary>
    public const int InflateBudget = 64 * 1024 * 1024;

    /// <summary>Nested archives opened at most per attachment (identical copies count once).</summary>
    public const int MaxNestedArchives = 64;

    /// <summary>Levels of archives inside the attached archive that are opened; deeper ones are a limit reached (<c>attachment.archive-nested</c>).</summary>
    public const int MaxArchiveDepth = 8;

    /// <summary>Declared uncompressed total above which an archive is a bomb.</summary>
    public const long BombTotalBytes = 1L << 30;

    /// <summary>Declared compression ratio above which a large entry is a bomb.</summary>
    public const double BombRatio = 200;

    /// <summary>Entries at least this large are checked against <see cref="BombRatio"/>.</summary>
    public const long BombRatioMinBytes = 8L << 20;

    /// <summary>A base64 run at least this long next to blob-building script is HTML smuggling.</summary>
    public const int SmugglingBase64Chars = 8192;

    /// <summary>Layers of script-written markup (<see cref="ScriptedMarkup"/>) read inside an HTML or SVG attachment.</summary>
    public const int MaxScriptedDepth = 3;

    private static readonly SearchValues<char> Base64Chars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    public void Analyze(AnalysisContext context)
    {
        var run = new Run(context);
        foreach (var entity in context.Message.Entities(intoAttachedMessages: false))
        {
            switch (entity)
            {
                case MimePart part when part.IsAttachment:
                    var content = part.DecodeContent();
                    var finding = new AttachmentFinding
                    {
                        FileName = part.FileName,
                        ContentType = part.ContentType.MimeType,
                        Size = content.Length,
                        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
                        Extension = FileTypes.ExtensionOf(part.FileName),
                    };
                    context.Result.Attachments.Add(finding);
                    run.Inspect(finding, part, content);
                    break;
                case MessagePart attached:
                    var bytes = attached.Message.GetRawBytes();
                    context.Result.Attachments.Add(new AttachmentFinding
                    {
                        FileName = attached.FileName,
                        ContentType = attached.ContentType.MimeType,
                        Size = bytes.Length,
                        Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes.Span)),
                        Extension = FileTypes.ExtensionOf(attached.FileName),
                        Kind = FileKind.Eml,
                        IsMessage = true,
                    });
                    run.AnalyzeMessage(attached.Message);
                    break;
            }
        }

        run.Qr.Report();
        run.Urls.Report();
    }

    /// <summary>What opening one attachment's nested archives met: how deep they went, what was opened, and what a limit left closed.</summary>
    private sealed class Nesting
    {
        public int Opened { get; set; }

        /// <summary>Levels below the attachment (1: an archive inside it).</summary>
        public int Deepest { get; set; }

        public string DeepestPath { get; set; } = string.Empty;

        public int Unopened { get; set; }

        public List<string> Cuts { get; } = [];

        /// <summary>Compressed bytes of nested archives still to be hashed for <see cref="Seen"/>.</summary>
        public long HashBudget { get; set; } = 4L * InflateBudget;

        /// <summary>Nested archives already opened, by their compressed bytes: what each unpacks to.</summary>
        public Dictionary<(string Hash, int Method, long Size), long> Seen { get; } = [];
    }

    /// <summary>The state of one message's attachment analysis: the URL collector for PDF, HTML and Office links, the QR scanner, the inflate budget.</summary>
    private sealed class Run(AnalysisContext context)
    {
        private int _budget = InflateBudget;
        private QrCodeScanner? _qr;

        public UrlCollector Urls { get; } = new(context);

        public QrCodeScanner Qr => _qr ??= new QrCodeScanner(context, Urls);

        public void AnalyzeMessage(MimeMessage message)
        {
            if (context.AnalyzeAttached(message) is { } nested)
            {
                context.Result.AttachedMessages.Add(nested);
                return;
            }

            // Past the analysis depth: not analysed, but what it carries is still named.
            var depth = context.Settings.MaxAttachedMessageDepth;
            var subject = message.Subject is { Length: > 0 } text ? $" (\"{(text.Length > 80 ? text[..80] + "…" : text)}\")" : string.Empty;
            context.Result.Add(StructureSignals.MessageDepthLimit, $"an attached message{subject} is nested deeper than {depth} levels of attached messages and was not analysed");
            foreach (var file in HiddenFiles.ScanParsed(message, StructureAnalyzer.MaxHiddenFiles))
            {
                context.Result.Add(StructureSignals.BeyondLimit, $"{file.Label} ({file.What}), in an attached message nested deeper than {depth} levels, not analysed");
            }
        }

        public void Inspect(AttachmentFinding finding, MimePart part, byte[] content)
        {
            var name = finding.FileName ?? string.Empty;
            var label = string.IsNullOrEmpty(finding.FileName) ? $"({finding.ContentType})" : finding.FileName;
            var kind = FileTypes.Sniff(content);
            IReadOnlySet<string>? oleNames = null;
            ZipListing? listing = null;
            if (kind == FileKind.Zip && ZipReader.List(content) is { } zip)
            {
                listing = zip;
                kind = ZipKind(zip);
            }
            else if (kind == FileKind.Ole)
            {
                oleNames = OleDirectoryScan.Names(content);
                kind = OleDirectoryScan.Classify(oleNames);
            }

            finding.Kind = kind;
            var extension = finding.Extension;

            // What it is against what it says it is.
            var promised = FileTypes.KindOfExtension(extension);
            if (promised is { } byName && kind is not (FileKind.Unknown or FileKind.Text) && !FileTypes.Compatible(byName, kind))
            {
                Signal(finding, AttachmentSignals.TypeMismatch, $"{label}: named .{extension} but is {Describe(kind)}");
            }
            else if (FileTypes.KindOfMimeType(finding.ContentType) is { } byType && kind is not (FileKind.Unknown or FileKind.Text)
                && !FileTypes.Compatible(byType, kind) && !IsGenericMismatch(byType, kind))
            {
                Signal(finding, AttachmentSignals.TypeMismatch, $"{label}: declared {finding.ContentType} but is {Describe(kind)}");
            }

            if (DoubleExtension(name) is { } deception)
            {
                Signal(finding, AttachmentSignals.DoubleExtension, $"{label}: {deception}");
            }

            if (FileTypes.IsExecutable(kind) || (extension is not null && FileTypes.ExecutableExtensions.Contains(extension)))
            {
                Signal(finding, AttachmentSignals.Executable, $"{label}: {Describe(kind)}");
            }

            if (extension is not null && FileTypes.ScriptExtensions.Contains(extension))
            {
                Signal(finding, AttachmentSignals.Script, $"{label}: .{extension} runs as a script");
            }

            if (kind is FileKind.Iso or FileKind.Vhd || (extension is not null && FileTypes.DiskImageExtensions.Contains(extension)))
            {
                Signal(finding, AttachmentSignals.DiskImage, $"{label}: {Describe(kind)}");
            }

            if (listing is not null)
            {
                InspectArchive(finding, label, content, listing);
                if (kind is FileKind.Docx or FileKind.Docm or FileKind.Xlsx or FileKind.Xlsm or FileKind.Pptx or FileKind.Pptm)
                {
                    InspectOffice(finding, label, content, listing);
                }
            }

            if (oleNames is not null)
            {
                if (OleDirectoryScan.HasMacros(oleNames))
                {
                    Signal(finding, AttachmentSignals.Macro, $"{label}: {Describe(kind)} with a VBA project");
                }

                if (OleDirectoryScan.HasOlePackage(oleNames))
                {
                    Signal(finding, AttachmentSignals.OlePackage, $"{label}: embeds an OLE package (a wrapped file)");
                }
            }

            if (kind is not (FileKind.Html or FileKind.Svg or FileKind.Pdf) && CalendarText.IsCalendar(part.ContentType.MediaType, part.ContentType.MediaSubtype, extension))
            {
                InspectCalendar(finding, part);
            }

            switch (kind)
            {
                case FileKind.Pdf:
                    InspectPdf(finding, label, content);
                    break;
                case FileKind.Html or FileKind.Svg:
                    InspectHtml(finding, label, part, kind);
                    break;
                case FileKind.OutlookMessage or FileKind.Tnef:
                    finding.IsMessage = true;
                    AnalyzeMessage(MailFile.Read(content));
                    break;
                case FileKind.Eml when extension is "eml" or null || part.ContentType.MediaType == "message":
                    finding.IsMessage = true;
                    AnalyzeMessage(MimeMessage.Parse(content));
                    break;
            }
        }

        // Mailers declare application/zip for OOXML and application/msword for any Word file: not deception.
        private static bool IsGenericMismatch(FileKind declared, FileKind actual) =>
            (declared == FileKind.Zip && actual is FileKind.Docx or FileKind.Xlsx or FileKind.Pptx)
            || (declared is FileKind.Doc or FileKind.Xls or FileKind.Ppt && actual is FileKind.Docx or FileKind.Xlsx or FileKind.Pptx or FileKind.Rtf or FileKind.Docm or FileKind.Xlsm);

        private void InspectArchive(AttachmentFinding finding, string label, byte[] content, ZipListing listing)
        {
            var summary = new ArchiveSummary
            {
                EntryCount = listing.Entries.Count,
                ClaimedEntries = listing.ClaimedEntries,
                TotalUncompressed = listing.TotalUncompressed,
                Encrypted = listing.Entries.Exists(e => e.Encrypted),
                Damaged = listing.Truncated || listing.FromLocalHeaders,
            };
            finding.Archive = summary;
            var isDocument = finding.Kind is not FileKind.Zip;
            CheckListing(finding, label, summary, listing, content.Length, prefix: string.Empty);

            if (listing.Truncated || listing.FromLocalHeaders)
            {
                Signal(finding, AttachmentSignals.ArchiveDamaged, $"{label}: {string.Join("; ", listing.Problems.Take(3))}");
            }

            if (isDocument)
            {
                return;
            }

            // Nested archives, as deep as they go within the limits: listed as if they were part of this one.
            var nesting = new Nesting();
            var unpacked = OpenNested(finding, label, summary, listing, content, string.Empty, 0, nesting);
            if (nesting.Deepest >= 2 || nesting.Unopened > 0)
            {
                var how = nesting.Deepest >= 2 ? $"archives nested {nesting.Deepest + 1} deep ({nesting.DeepestPath})" : "nested archives";
                var cut = nesting.Unopened == 0 ? string.Empty
                    : $"; {nesting.Unopened} nested archive(s) not opened ({string.Join(", ", nesting.Cuts)})";
                Signal(finding, AttachmentSignals.ArchiveNested, $"{label}: {how}{cut}");
            }

            // A bomb built of layers (42.zip): no layer is large, all of them unpacked are.
            if (nesting.Deepest >= 1 && unpacked > BombTotalBytes && unpacked / (double)Math.Max(1, content.Length) > BombRatio)
            {
                Signal(finding, AttachmentSignals.ArchiveBomb, $"{label}: unpacks to {unpacked:N0} bytes through {nesting.Deepest + 1} levels of nested archives, from {content.Length:N0}");
            }
        }

        /// <summary>
        /// Opens the nested archives of <paramref name="listing"/> (up to <see cref="MaxArchiveDepth"/>
        /// levels, <see cref="MaxNestedArchives"/> per attachment, within the inflate budget) and checks
        /// each like the attachment itself. Identical nested archives (the same compressed bytes) are
        /// opened once: a bomb of many copies costs one extraction per level. Returns what the archive
        /// unpacks to with its nested archives unpacked too, as far as they were opened (saturating).
        /// </summary>
        private long OpenNested(AttachmentFinding finding, string label, ArchiveSummary summary, ZipListing listing, byte[] content, string prefix, int level, Nesting nesting)
        {
            long total = 0;
            foreach (var entry in listing.Entries)
            {
                total = SaturatingAdd(total, Math.Max(0, entry.UncompressedSize));
                var extension = FileTypes.ExtensionOf(entry.Name);
                if (extension is null || !(FileTypes.ArchiveExtensions.Contains(extension) || IsOoxmlExtension(extension)) || entry.Encrypted)
                {
                    continue;
                }

                // Identity by content, not by the directory's claims (a CRC is easy to forge); hashing is budgeted too.
                var compressed = ZipReader.CompressedData(content, entry);
                var hashable = compressed.Length <= nesting.HashBudget;
                nesting.HashBudget -= Math.Min(compressed.Length, nesting.HashBudget);
                var key = (hashable ? Convert.ToHexString(SHA256.HashData(compressed.Span)) : string.Empty, entry.Method, entry.UncompressedSize);
                if (hashable && nesting.Seen.TryGetValue(key, out var known))
                {
                    // The same archive again: its contents were checked where it was first opened.
                    total = SaturatingAdd(total - Math.Max(0, entry.UncompressedSize), known);
                    continue;
                }

                string? cut = level >= MaxArchiveDepth ? $"deeper than {MaxArchiveDepth} levels"
                    : nesting.Opened >= MaxNestedArchives ? $"more than {MaxNestedArchives}"
                    : _budget <= 0 || !hashable ? $"past the {InflateBudget / (1024 * 1024)} MiB unpacking budget"
                    : null;
                if (cut is not null)
                {
                    nesting.Unopened++;
                    if (!nesting.Cuts.Contains(cut))
                    {
                        nesting.Cuts.Add(cut);
                    }

                    continue;
                }

                nesting.Opened++;
                var inner = ZipReader.Extract(content, entry, Math.Min(_budget, 32 * 1024 * 1024));
                if (inner is null)
                {
                    nesting.Seen[key] = Math.Max(0, entry.UncompressedSize);
                    continue;
                }

                _budget -= inner.Length;
                if (FileTypes.Sniff(inner) != FileKind.Zip || ZipReader.List(inner) is not { } nested)
                {
                    nesting.Seen[key] = Math.Max(0, entry.UncompressedSize);
                    continue;
                }

                var path = prefix + entry.Name;
                var nestedKind = ZipKind(nested);
                if (nestedKind is FileKind.Docm or FileKind.Xlsm or FileKind.Pptm)
                {
                    Signal(finding, AttachmentSignals.Macro, $"{label}: {path} is {Describe(nestedKind)} with a VBA project");
                }

                if (nestedKind != FileKind.Zip)
                {
                    nesting.Seen[key] = Math.Max(0, entry.UncompressedSize);
                    continue;
                }

                if (level + 1 > nesting.Deepest)
                {
                    nesting.Deepest = level + 1;
                    nesting.DeepestPath = path;
                }

                CheckListing(finding, label, summary, nested, inner.Length, prefix: path + "/");
                var unpacked = OpenNested(finding, label, summary, nested, inner, path + "/", level + 1, nesting);
                nesting.Seen[key] = unpacked;
                total = SaturatingAdd(total - Math.Max(0, entry.UncompressedSize), unpacked);
            }

            return total;
        }

        private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

        private void CheckListing(AttachmentFinding finding, string label, ArchiveSummary summary, ZipListing listing, long archiveBytes, string prefix)
        {
            foreach (var entry in listing.Entries)
            {
                if (summary.Entries.Count < ArchiveSummary.MaxListed)
                {
                    summary.Entries.Add(new ArchiveEntrySummary(prefix + entry.Name, entry.UncompressedSize, entry.CompressedSize, entry.Encrypted));
                }
            }

            if (finding.Kind is FileKind.Docm or FileKind.Xlsm or FileKind.Pptm && prefix.Length == 0)
            {
                Signal(finding, AttachmentSignals.Macro, $"{label}: {Describe(finding.Kind)} with a VBA project");
            }

            if (listing.Entries.Exists(e => e.Encrypted))
            {
                Signal(finding, AttachmentSignals.ArchiveEncrypted, $"{label}: {prefix}encrypted entries (contents hidden from scanning)");
            }

            var bomb = BombReason(listing, archiveBytes);
            if (bomb is not null)
            {
                Signal(finding, AttachmentSignals.ArchiveBomb, $"{label}: {prefix}{bomb}");
            }

            if (finding.Kind is FileKind.Zip or FileKind.Jar || prefix.Length > 0)
            {
                foreach (var entry in listing.Entries)
                {
                    var extension = FileTypes.ExtensionOf(entry.Name);
                    if (extension is not null && (FileTypes.ExecutableExtensions.Contains(extension) || FileTypes.ScriptExtensions.Contains(extension)
                        || FileTypes.DiskImageExtensions.Contains(extension) || extension is "hta" or "one" or "svg"))
                    {
                        Signal(finding, AttachmentSignals.ArchiveExecutable, $"{label}: contains {prefix}{entry.Name}");
                        break;
                    }

                    if (DoubleExtension(entry.Name) is { } deception)
                    {
                        Signal(finding, AttachmentSignals.ArchiveExecutable, $"{label}: contains {prefix}{entry.Name} ({deception})");
                        break;
                    }
                }
            }
        }

        private static string? BombReason(ZipListing listing, long archiveBytes)
        {
            if (listing.ClaimedEntries > ZipReader.MaxEntries || listing.Entries.Count >= ZipReader.MaxEntries)
            {
                return $"claims {listing.ClaimedEntries} entries";
            }

            if (listing.TotalUncompressed > BombTotalBytes)
            {
                return $"unpacks to {listing.TotalUncompressed:N0} bytes from {archiveBytes:N0}";
            }

            foreach (var entry in listing.Entries)
            {
                if (entry.UncompressedSize >= BombRatioMinBytes && entry.Ratio > BombRatio)
                {
                    return $"{entry.Name} unpacks {entry.Ratio:F0} times its size ({entry.UncompressedSize:N0} bytes)";
                }
            }

            return null;
        }

        private void InspectPdf(AttachmentFinding finding, string label, byte[] content)
        {
            var reading = PdfText.Read(content);
            finding.Text = reading.Text;
            if (reading.NeedsPassword)
            {
                Signal(finding, AttachmentSignals.PdfPassword, $"{label}: opens only with a password (no scanner can read its pages)");
            }

            var pdf = PdfScanner.Scan(content);
            if (pdf.JavaScript)
            {
                Signal(finding, AttachmentSignals.PdfJavaScript, $"{label}: has JavaScript");
            }

            if (pdf.OpenAction)
            {
                Signal(finding, AttachmentSignals.PdfOpenAction, $"{label}: acts when opened (/OpenAction or /AA)");
            }

            if (pdf.Launch)
            {
                Signal(finding, AttachmentSignals.PdfLaunch, $"{label}: can launch a program (/Launch)");
            }

            if (pdf.EmbeddedFile)
            {
                Signal(finding, AttachmentSignals.PdfEmbeddedFile, $"{label}: embeds a file");
            }

            if (pdf.AcroForm)
            {
                Signal(finding, AttachmentSignals.PdfForm, $"{label}: has a form (/AcroForm or /XFA)");
            }

            if (pdf.SubmitForm)
            {
                Signal(finding, AttachmentSignals.PdfSubmitForm, $"{label}: submits a form to a server");
            }

            if (pdf.ObfuscatedNames)
            {
                Signal(finding, AttachmentSignals.PdfObfuscated, $"{label}: risky names written with #xx escapes");
            }

            if (pdf.UriCount > 0)
            {
                Signal(finding, AttachmentSignals.PdfUri, $"{label}: {pdf.UriCount} link(s), first {pdf.Uris.FirstOrDefault()}");
                foreach (var uri in pdf.Uris)
                {
                    Urls.Add(uri, UrlSource.Pdf);
                }
            }

            // QR codes in the PDF's images: a page that is one picture of a QR code is a common quishing lure.
            var number = 0;
            var limits = context.QrBudget.Limits;
            foreach (var image in PdfImages.Find(content))
            {
                var name = $"{label} (image {++number})";
                switch (image.Filter)
                {
                    case PdfImageFilter.Dct when image.DataLength > limits.MaxImageBytes:
                        Qr.SkipTooLarge(name, $"{image.DataLength:N0} bytes");
                        break;
                    case PdfImageFilter.Dct or PdfImageFilter.FlateDct:
                        Qr.Scan(name, () => PdfImages.Jpeg(content, image, limits.MaxImageBytes) ?? Qr.TooLarge(name, $"more than {limits.MaxImageBytes:N0} bytes"));
                        break;
                    case PdfImageFilter.None or PdfImageFilter.Flate:
                        Qr.ScanPixels(name, image.Width, image.Height, l => PdfImages.ToGray(content, image, l.MaxScanPixels), scan => PdfImages.CacheKey(content, image, scan));
                        break;
                }
            }
        }

        private void InspectOffice(AttachmentFinding finding, string label, byte[] content, ZipListing listing)
        {
            var parts = 0;
            var textParts = 0;
            var words = new StringBuilder();
            var limits = context.QrBudget.Limits;
            foreach (var entry in listing.Entries)
            {
                if (entry.Encrypted)
                {
                    continue;
                }

                if (OfficeDocuments.IsRelationshipPart(entry.Name) && parts < OfficeDocuments.MaxRelationshipParts && _budget > 0)
                {
                    // Hyperlinks, remote templates and linked pictures: the document's own links.
                    parts++;
                    if (ZipReader.Extract(content, entry, Math.Min(OfficeDocuments.MaxRelationshipBytes, _budget)) is { } xml)
                    {
                        _budget -= xml.Length;
                        foreach (var target in OfficeDocuments.ExternalTargets(xml))
                        {
                            Urls.Add(target, UrlSource.Office);
                        }
                    }
                }
                else if (OfficeDocuments.IsTextPart(entry.Name) && textParts < OfficeDocuments.MaxTextParts && words.Length < AttachmentFinding.MaxTextChars && _budget > 0)
                {
                    // The words a reader sees first: a lure or a callback number may be only in the document.
                    textParts++;
                    if (ZipReader.Extract(content, entry, Math.Min(OfficeDocuments.MaxTextPartBytes, _budget)) is { } xml)
                    {
                        _budget -= xml.Length;
                        words.Append(OfficeDocuments.Words(xml, AttachmentFinding.MaxTextChars - words.Length)).Append('\n');
                    }
                }
                else if (OfficeDocuments.IsMediaImage(entry.Name))
                {
                    var name = $"{label}: {entry.Name}";
                    if (entry.UncompressedSize > limits.MaxImageBytes)
                    {
                        Qr.SkipTooLarge(name, $"{entry.UncompressedSize:N0} bytes");
                        continue;
                    }

                    Qr.Scan(name, () => ZipReader.Extract(content, entry, limits.MaxImageBytes + 1));
                }
            }

            if (words.Length > 0)
            {
                finding.Text = words.ToString();
            }
        }

        /// <summary>
        /// An attached invitation (.ics): the links in its description, location, URL and attachment
        /// fields, and its text for the lexicon (the description is what the calendar shows the reader).
        /// </summary>
        private void InspectCalendar(AttachmentFinding finding, MimePart part)
        {
            var text = CalendarText.Read(part.GetText());
            finding.Text = text.Length > AttachmentFinding.MaxTextChars ? text[..AttachmentFinding.MaxTextChars] : text;
            foreach (var url in UrlTextScanner.Scan(text, UrlAnalyzer.MaxLinksPerDocument))
            {
                Urls.Add(url.Url, UrlSource.Calendar, defanged: url.Defanged);
            }
        }

        private void InspectHtml(AttachmentFinding finding, string label, MimePart part, FileKind kind)
        {
            Signal(finding, AttachmentSignals.Html, $"{label}: {Describe(kind)} opens in a browser, outside the mail client's protection");
            InspectMarkup(finding, label, part.GetText(), kind, 0);
        }

        /// <summary>A page's links, forms, redirects and script; markup its script writes from encoded strings is read as a page too, <see cref="MaxScriptedDepth"/> layers deep.</summary>
        private void InspectMarkup(AttachmentFinding finding, string label, string text, FileKind kind, int depth)
        {
            var scan = HtmlScanner.Scan(text, UrlAnalyzer.MaxLinksPerDocument);
            Urls.AddHtml(scan, UrlSource.HtmlAttachment);

            // What the tags do not say: URLs in script (window.location = "…"), styles, SVG's xlink:href and text.
            var tagged = new HashSet<string>(StringComparer.Ordinal);
            foreach (var link in scan.Links)
            {
                tagged.Add(link.Url);
            }

            foreach (var url in UrlTextScanner.Scan(text, UrlAnalyzer.MaxLinksPerDocument))
            {
                if (tagged.Add(url.Url))
                {
                    Urls.Add(url.Url, UrlSource.HtmlAttachment, defanged: url.Defanged);
                }
            }

            Qr.ScanDataImages(label, text);
            if (scan.HasCredentialForm)
            {
                Signal(finding, AttachmentSignals.HtmlCredentialForm, $"{label}: asks for a password or an e-mail address");
            }

            if (Redirects(scan, text))
            {
                Signal(finding, AttachmentSignals.HtmlRedirect, $"{label}: redirects the browser");
            }

            if (kind == FileKind.Svg && (scan.HasScript || text.Contains("javascript:", StringComparison.OrdinalIgnoreCase)))
            {
                Signal(finding, AttachmentSignals.Script, $"{label}: SVG image with script");
            }

            if (Smuggling(text) is { } smuggling)
            {
                Signal(finding, AttachmentSignals.HtmlSmuggling, $"{label}: {smuggling}");
            }

            if (depth >= MaxScriptedDepth)
            {
                return;
            }

            foreach (var (call, markup) in ScriptedMarkup.Find(text))
            {
                Signal(finding, AttachmentSignals.HtmlObfuscated, $"{label}: its script writes the page from an encoded string ({call}, {markup.Length:N0} characters of markup)");
                InspectMarkup(finding, label, markup, kind, depth + 1);
            }
        }

        private void Signal(AttachmentFinding finding, string signal, string detail)
        {
            if (finding.Signals.Contains(signal))
            {
                return;
            }

            finding.Signals.Add(signal);
            context.Result.Add(signal, detail);
        }
    }

    /// <summary>
    /// The page sends the browser elsewhere by itself: a meta refresh, script that sets the location, or
    /// a link the page clicks as it loads (<c>onload="….click()"</c>).
    /// </summary>
    internal static bool Redirects(HtmlScan scan, string html) =>
        scan.HasMetaRefresh || html.Contains("location.href", StringComparison.Ordinal) || html.Contains("location.replace", StringComparison.Ordinal)
        || html.Contains("window.location", StringComparison.Ordinal)
        || (html.Contains(".click()", StringComparison.Ordinal) && (html.Contains("onload", StringComparison.OrdinalIgnoreCase) || scan.HasScript));

    /// <summary>HTML smuggling: script that builds a file from an embedded blob (a long base64 run, decoded by atob or turned into a Blob).</summary>
    internal static string? Smuggling(string html)
    {
        var builder = html.Contains("atob(", StringComparison.Ordinal) || html.Contains("new Blob", StringComparison.Ordinal)
            || html.Contains("msSaveOrOpenBlob", StringComparison.Ordinal) || html.Contains("createObjectURL", StringComparison.Ordinal)
            || html.Contains("fromCharCode", StringComparison.Ordinal);
        if (!builder)
        {
            return null;
        }

        var longest = LongestBase64Run(html);
        return longest >= SmugglingBase64Chars
            ? $"script builds a file from a {longest:N0}-character base64 blob"
            : null;
    }

    internal static int LongestBase64Run(ReadOnlySpan<char> text)
    {
        var longest = 0;
        while (!text.IsEmpty)
        {
            var start = text.IndexOfAny(Base64Chars);
            if (start < 0)
            {
                break;
            }

            text = text[start..];
            var end = text.IndexOfAnyExcept(Base64Chars);
            var run = end < 0 ? text.Length : end;
            longest = Math.Max(longest, run);
            text = text[run..];
        }

        return longest;
    }

    /// <summary>The deception in a file name: a document extension before a program's, padding before the real extension, or a right-to-left override.</summary>
    public static string? DoubleExtension(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        if (name.Contains('\u202E', StringComparison.Ordinal))
        {
            return "the name has a right-to-left override character that disguises its extension";
        }

        var last = FileTypes.ExtensionOf(name);
        if (last is null || !(FileTypes.ExecutableExtensions.Contains(last) || FileTypes.ScriptExtensions.Contains(last) || FileTypes.DiskImageExtensions.Contains(last)
            || last is "hta" or "html" or "htm" or "svg"))
        {
            return null;
        }

        var trimmed = name.AsSpan().TrimEnd(" .\0");
        var dot = trimmed.LastIndexOf('.');
        var before = trimmed[..dot];
        if (before.EndsWith("   ", StringComparison.Ordinal) || before.EndsWith("\u00A0\u00A0", StringComparison.Ordinal))
        {
            return $"white space pads the name before .{last}";
        }

        var inner = FileTypes.ExtensionOf(before.TrimEnd().ToString());
        if (inner is not null && FileTypes.DocumentExtensions.Contains(inner) && !string.Equals(inner, last, StringComparison.Ordinal)
            && !(last is "html" or "htm" && inner is "htm" or "html"))
        {
            return $".{inner} before .{last}";
        }

        return null;
    }

    private static bool IsOoxmlExtension(string extension) => extension is "docx" or "docm" or "xlsx" or "xlsm" or "pptx" or "pptm" or "dotm" or "xltm" or "potm";

    /// <summary>A ZIP as what it holds: OOXML documents (macro-enabled when they carry a VBA project or Excel 4 macro sheets), Java archives, or a plain ZIP.</summary>
    internal static FileKind ZipKind(ZipListing listing)
    {
        bool contentTypes = false, word = false, excel = false, powerPoint = false, macros = false, manifest = false;
        foreach (var entry in listing.Entries)
        {
            var name = entry.Name;
            contentTypes |= string.Equals(name, "[Content_Types].xml", StringComparison.OrdinalIgnoreCase);
            word |= name.StartsWith("word/", StringComparison.OrdinalIgnoreCase);
            excel |= name.StartsWith("xl/", StringComparison.OrdinalIgnoreCase);
            powerPoint |= name.StartsWith("ppt/", StringComparison.OrdinalIgnoreCase);
            macros |= name.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase) || name.StartsWith("xl/macrosheets/", StringComparison.OrdinalIgnoreCase);
            manifest |= string.Equals(name, "META-INF/MANIFEST.MF", StringComparison.OrdinalIgnoreCase);
        }

        if (contentTypes && (word || excel || powerPoint))
        {
            return (word, excel, macros) switch
            {
                (true, _, false) => FileKind.Docx,
                (true, _, true) => FileKind.Docm,
                (_, true, false) => FileKind.Xlsx,
                (_, true, true) => FileKind.Xlsm,
                (_, _, false) => FileKind.Pptx,
                _ => FileKind.Pptm,
            };
        }

        return manifest && listing.Entries.Exists(e => e.Name.EndsWith(".class", StringComparison.OrdinalIgnoreCase)) ? FileKind.Jar : FileKind.Zip;
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.PeExecutable => "a Windows program (PE)",
        FileKind.Elf => "a Linux program (ELF)",
        FileKind.MachO => "a macOS program (Mach-O)",
        FileKind.Msi => "a Windows installer",
        FileKind.Lnk => "a Windows shortcut (LNK)",
        FileKind.Jar => "a Java archive",
        FileKind.Iso => "a disk image (ISO/UDF)",
        FileKind.Vhd => "a virtual disk (VHD)",
        FileKind.Docm => "a macro-enabled Word document",
        FileKind.Xlsm => "a macro-enabled Excel workbook",
        FileKind.Pptm => "a macro-enabled PowerPoint presentation",
        FileKind.Doc => "a Word 97-2003 document",
        FileKind.Xls => "an Excel 97-2003 workbook",
        FileKind.Ppt => "a PowerPoint 97-2003 presentation",
        FileKind.Ole => "an OLE compound file",
        FileKind.OutlookMessage => "an Outlook message",
        FileKind.Html => "an HTML page",
        FileKind.Svg => "an SVG image",
        FileKind.Eml => "an e-mail message",
        FileKind.Unknown => "of unknown type",
        _ => "a " + kind.ToString().ToUpperInvariant() + " file",
    };
}
