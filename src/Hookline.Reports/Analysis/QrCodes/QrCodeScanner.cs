using System.Buffers;
using System.Globalization;
using Hookline.Reports.Analysis.Domains;
using Hookline.Reports.Analysis.Urls;
using SixLabors.ImageSharp;

namespace Hookline.Reports.Analysis.QrCodes;

/// <summary>
/// Searches images for QR codes within the report's <see cref="QrBudget"/>, for one analysis stage of
/// one message, and turns what a code says into URLs: each goes through the stage's
/// <see cref="UrlCollector"/> (source <see cref="UrlSource.QrCode"/>, so every <c>url.*</c> flag
/// applies) and raises <c>url.qr-code</c> ("a QR code in image.png leads to https://…"), with
/// <c>url.qr-code-login</c> when the link reads like a sign-in page and <c>url.qr-code-offsite</c>
/// when it leaves the sender's domain. Work the budget cut off raises <c>url.qr-budget</c>; an image
/// the decoder refuses raises <c>url.qr-unreadable</c>. Never throws on image content.
/// </summary>
public sealed class QrCodeScanner
{
    /// <summary>URLs taken from one QR code's text at most.</summary>
    public const int MaxUrlsPerCode = 4;

    /// <summary>The longest a decoding may be given (a timer's limit is about 24 days).</summary>
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    /// <summary>Wall-clock time a JPEG decoding may take beyond the CPU time left, for the other work on a busy machine.</summary>
    private static readonly TimeSpan ContentionAllowance = TimeSpan.FromSeconds(1);

    /// <summary>Images' names listed at most in one budget finding.</summary>
    private const int ListedImages = 3;

    // A QR code that opens a sign-in, account or credential page is the quishing lure itself. These
    // words count anywhere in the link's host, path and query...
    private static readonly string[] LoginText =
    [
        "login", "logon", "signin", "sign-in", "sign_in", "password", "passwd", "credential", "webmail", "verify", "verification", "authenticat",
    ];

    // ...these, shorter or commoner, only at the start of a word (letters and digits between separators).
    private static readonly string[] LoginWords = ["auth", "oauth", "sso", "saml", "owa", "otp", "mfa", "2fa", "account", "secure", "reset", "unlock", "wallet", "validate"];

    private static readonly SearchValues<char> WordSeparators = SearchValues.Create("/.?&=#_+%:;,~!$'()*[]@-");

    private const string DataImagePrefix = "data:image/";

    private static readonly SearchValues<string> DataImage = SearchValues.Create([DataImagePrefix], StringComparison.OrdinalIgnoreCase);

    private readonly AnalysisContext _context;
    private readonly UrlCollector _urls;
    private readonly QrBudget _budget;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly List<string> _cutImages = [];
    private readonly List<string> _oversized = [];
    private int _cut;
    private QrCutOff _cutReason;
    private int _codes;
    private int _unreadable;

    public QrCodeScanner(AnalysisContext context, UrlCollector urls)
    {
        _context = context;
        _urls = urls;
        _budget = context.QrBudget;
    }

    /// <summary>Searches an encoded image (PNG, JPEG or GIF; anything else is ignored).</summary>
    public void ScanEncoded(string label, ReadOnlyMemory<byte> encoded) => Scan(label, () => encoded);

    /// <summary>Searches an encoded image whose bytes are only produced when the budget allows (decoding a MIME part, a ZIP entry, base64).</summary>
    public void Scan(string label, Func<ReadOnlyMemory<byte>?> encoded)
    {
        if (!HasTime(label))
        {
            return;
        }

        _ = QrImageDecoder.WarmUp();
        var start = QrBudget.Start();
        try
        {
            if (encoded() is not { } bytes)
            {
                return;
            }

            if (bytes.Length > _budget.Limits.MaxImageBytes)
            {
                Oversized(label, string.Create(CultureInfo.InvariantCulture, $"{bytes.Length:N0} bytes, over the {_budget.Limits.MaxImageBytes:N0}-byte limit"));
                return;
            }

            if (QrImageDecoder.Identify(bytes) is not { } header || !Plausible(label, header.Width, header.Height) || !Take(label))
            {
                return;
            }

            // An image searched before (a campaign's other copies, a sender's logo) is not decoded again;
            // it still counts against the image limit, so the outcome does not depend on what came before.
            var key = QrResultCache.KeyOf(bytes.Span, _budget.Limits.MaxScanPixels);
            if (QrResultCache.TryGet(key, out var known))
            {
                Report(label, known);
                return;
            }

            // JPEG decoding stops when the report's time is up (the other decoders finish their image).
            // The budget is CPU time and a timer counts wall-clock time: a loaded machine gets a second more.
            var remaining = _budget.Remaining + ContentionAllowance;
            using var timeout = new CancellationTokenSource(remaining < MaxTimeout ? remaining : MaxTimeout);
            QrResultCache.Outcome outcome;
            try
            {
                var image = QrImageDecoder.DecodeGray(bytes, _budget.Limits.MaxScanPixels, timeout.Token);
                outcome = new QrResultCache.Outcome(QrImageDecoder.Search(image), null);
            }
            catch (Exception exception) when (exception is not (OutOfMemoryException or OperationCanceledException))
            {
                outcome = new QrResultCache.Outcome(null, exception);
            }

            QrResultCache.Add(key, outcome);
            Report(label, outcome);
        }
        catch (OperationCanceledException)
        {
            Cut(label, QrCutOff.TimeLimit);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Unreadable(label, exception);
        }
        finally
        {
            _budget.Charge(start);
        }
    }

    /// <summary>
    /// Searches an image known by its size before its pixels exist (a PDF image XObject):
    /// <paramref name="pixels"/> makes the grey image, scaled to the scan limit, only when the budget allows.
    /// </summary>
    internal void ScanPixels(string label, int width, int height, Func<QrCodeLimits, GrayImage?> pixels, Func<long, QrResultCache.Key>? key = null)
    {
        if (!Plausible(label, width, height) || !HasTime(label) || !Take(label))
        {
            return;
        }

        var cacheKey = key?.Invoke(_budget.Limits.MaxScanPixels);
        if (cacheKey is { } known && QrResultCache.TryGet(known, out var outcome))
        {
            Report(label, outcome);
            return;
        }

        _ = QrImageDecoder.WarmUp();
        var start = QrBudget.Start();
        try
        {
            try
            {
                outcome = pixels(_budget.Limits) is { } image ? new QrResultCache.Outcome(QrImageDecoder.Search(image), null) : default;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                outcome = new QrResultCache.Outcome(null, exception);
            }

            if (cacheKey is { } newKey)
            {
                QrResultCache.Add(newKey, outcome);
            }

            Report(label, outcome);
        }
        finally
        {
            _budget.Charge(start);
        }
    }

    /// <summary>Searches the base64 <c>data:image/png|jpeg|gif</c> URIs written in an HTML (or SVG) text: <c>img src</c>, CSS, anywhere.</summary>
    public void ScanDataImages(string label, string html)
    {
        var text = html.AsSpan();
        var offset = 0;
        var index = 0;
        while (offset < text.Length)
        {
            var found = text[offset..].IndexOfAny(DataImage);
            if (found < 0)
            {
                return;
            }

            var start = offset + found;
            if (ReadDataImage(html, start, out var base64Start, out var base64End) is not { } subtype)
            {
                offset = start + DataImagePrefix.Length;
                continue;
            }

            offset = base64End;
            index++;
            var name = string.Create(CultureInfo.InvariantCulture, $"{label} (data:image/{subtype} #{index})");
            if ((long)(base64End - base64Start) * 3 / 4 > _budget.Limits.MaxImageBytes)
            {
                if (HasTime(name))
                {
                    Oversized(name, string.Create(CultureInfo.InvariantCulture, $"about {(long)(base64End - base64Start) * 3 / 4:N0} bytes, over the {_budget.Limits.MaxImageBytes:N0}-byte limit"));
                }

                continue;
            }

            var (from, to) = (base64Start, base64End);
            Scan(name, () => DecodeBase64(html.AsSpan(from, to - from)));
        }
    }

    /// <summary>Records an image not searched because it is too large (<paramref name="size"/> says how large, e.g. "5,000,000 bytes").</summary>
    public void SkipTooLarge(string label, string size)
    {
        if (HasTime(label))
        {
            Oversized(label, $"{size}, over the {_budget.Limits.MaxImageBytes.ToString("N0", CultureInfo.InvariantCulture)}-byte limit");
        }
    }

    /// <summary><see cref="SkipTooLarge"/> for a <see cref="Scan(string, Func{ReadOnlyMemory{byte}?})"/> producer that found its image too large: returns null.</summary>
    public ReadOnlyMemory<byte>? TooLarge(string label, string size)
    {
        Oversized(label, $"{size}, over the {_budget.Limits.MaxImageBytes.ToString("N0", CultureInfo.InvariantCulture)}-byte limit");
        return null;
    }

    /// <summary>Writes the budget and unreadable-image summaries for what this scanner saw.</summary>
    public void Report()
    {
        if (_codes > UrlCollector.FindingsPerSignal)
        {
            _context.Result.Add(UrlSignals.QrCode, string.Create(CultureInfo.InvariantCulture, $"and {_codes - UrlCollector.FindingsPerSignal} more link(s) in QR codes"));
        }

        if (_cut > 0)
        {
            var why = _cutReason == QrCutOff.ImageLimit
                ? string.Create(CultureInfo.InvariantCulture, $"the QR code search stopped at its limit of {_budget.Limits.MaxImages} images per message")
                : string.Create(CultureInfo.InvariantCulture, $"the QR code search stopped when its {_budget.Limits.TimeBudget.TotalMilliseconds:N0} ms per message were spent");
            var more = _cut > _cutImages.Count ? string.Create(CultureInfo.InvariantCulture, $", and {_cut - _cutImages.Count} more") : string.Empty;
            _context.Result.Add(UrlSignals.QrBudget, string.Create(CultureInfo.InvariantCulture, $"{why}: {_cut} image(s) not searched ({string.Join(", ", _cutImages)}{more})"));
        }

        foreach (var oversized in _oversized)
        {
            _context.Result.Add(UrlSignals.QrBudget, oversized);
        }

        if (_unreadable > UrlCollector.FindingsPerSignal)
        {
            _context.Result.Add(UrlSignals.QrUnreadable, string.Create(CultureInfo.InvariantCulture, $"and {_unreadable - UrlCollector.FindingsPerSignal} more image(s) that could not be decoded"));
        }
    }

    /// <summary>True when the link reads like a sign-in, account or credential page, or carries an e-mail address (pre-filled for one).</summary>
    internal static bool LooksLikeLogin(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? url.AsSpan() : url.AsSpan(start + 3);
        var path = rest.IndexOfAny('/', '?', '#');
        if (path >= 0 && (rest[path..].Contains('@') || rest[path..].Contains("%40", StringComparison.Ordinal)))
        {
            return true;
        }

        foreach (var text in LoginText)
        {
            if (rest.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        while (!rest.IsEmpty)
        {
            var end = rest.IndexOfAny(WordSeparators);
            var word = end < 0 ? rest : rest[..end];
            foreach (var login in LoginWords)
            {
                if (word.StartsWith(login, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            rest = end < 0 ? [] : rest[(end + 1)..];
        }

        return false;
    }

    /// <summary>Reads <c>data:image/SUBTYPE[;params];base64,</c> at <paramref name="start"/>; the subtype when it is PNG, JPEG or GIF, with where its base64 runs.</summary>
    internal static string? ReadDataImage(string html, int start, out int base64Start, out int base64End)
    {
        base64Start = base64End = 0;
        var position = start + DataImagePrefix.Length;
        var subtypeEnd = position;
        while (subtypeEnd < html.Length && subtypeEnd - position < 32 && (char.IsAsciiLetterOrDigit(html[subtypeEnd]) || html[subtypeEnd] is '+' or '-' or '.'))
        {
            subtypeEnd++;
        }

        var subtype = html.AsSpan(position, subtypeEnd - position);
        string? name = subtype.Equals("png", StringComparison.OrdinalIgnoreCase) ? "png"
            : subtype.Equals("jpeg", StringComparison.OrdinalIgnoreCase) || subtype.Equals("jpg", StringComparison.OrdinalIgnoreCase) || subtype.Equals("pjpeg", StringComparison.OrdinalIgnoreCase) ? "jpeg"
            : subtype.Equals("gif", StringComparison.OrdinalIgnoreCase) ? "gif"
            : null;
        if (name is null)
        {
            return null;
        }

        var comma = html.AsSpan(subtypeEnd, Math.Min(256, html.Length - subtypeEnd)).IndexOf(',');
        if (comma < 0 || !html.AsSpan(subtypeEnd, comma).Contains(";base64", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        base64Start = subtypeEnd + comma + 1;
        var end = base64Start;
        while (end < html.Length && (char.IsAsciiLetterOrDigit(html[end]) || html[end] is '+' or '/' or '=' or ' ' or '\t' or '\r' or '\n' or '\f'))
        {
            end++;
        }

        base64End = end;
        return name;
    }

    private static ReadOnlyMemory<byte>? DecodeBase64(ReadOnlySpan<char> base64)
    {
        // Browsers drop ASCII white space from a data URL's base64 (and so may it wrap in the HTML).
        var clean = new char[base64.Length];
        var length = 0;
        foreach (var c in base64)
        {
            if (c is not (' ' or '\t' or '\r' or '\n' or '\f'))
            {
                clean[length++] = c;
            }
        }

        while (length % 4 != 0 && length > 0 && clean[length - 1] == '=')
        {
            length--;
        }

        var padded = length % 4 == 0 ? clean.AsSpan(0, length) : clean.AsSpan(0, length - (length % 4));
        var bytes = new byte[(padded.Length / 4 * 3) + 3];
        return Convert.TryFromBase64Chars(padded, bytes, out var written) ? bytes.AsMemory(0, written) : null;
    }

    private bool HasTime(string label)
    {
        if (_budget.Remaining > TimeSpan.Zero)
        {
            return true;
        }

        Cut(label, QrCutOff.TimeLimit);
        return false;
    }

    private bool Plausible(string label, int width, int height)
    {
        var limits = _budget.Limits;
        if (width < limits.MinSide || height < limits.MinSide)
        {
            return false;
        }

        if ((long)width * height > limits.MaxDecodePixels)
        {
            Oversized(label, string.Create(CultureInfo.InvariantCulture, $"{width}×{height} pixels, over the {limits.MaxDecodePixels / 1_000_000.0:0.#}-megapixel limit"));
            return false;
        }

        return true;
    }

    private bool Take(string label)
    {
        if (_budget.TryTake() is not { } cut)
        {
            return true;
        }

        Cut(label, cut);
        return false;
    }

    private void Cut(string label, QrCutOff reason)
    {
        if (_cut == 0)
        {
            _cutReason = reason;
        }

        _cut++;
        if (_cutImages.Count < ListedImages)
        {
            _cutImages.Add(label);
        }
    }

    private void Oversized(string label, string why)
    {
        if (_oversized.Count < UrlCollector.FindingsPerSignal)
        {
            _oversized.Add($"{label} was not searched for a QR code: {why}");
        }
    }

    private void Unreadable(string label, Exception exception)
    {
        if (++_unreadable <= UrlCollector.FindingsPerSignal)
        {
            var message = exception.Message.Length > 160 ? exception.Message[..160] + "…" : exception.Message;
            var kind = exception is UnknownImageFormatException ? "not a PNG, JPEG or GIF image" : "the image is damaged";
            _context.Result.Add(UrlSignals.QrUnreadable, $"{label}: {kind} ({message})");
        }
    }

    private void Report(string label, QrResultCache.Outcome outcome)
    {
        if (outcome.Unreadable is { } exception)
        {
            Unreadable(label, exception);
        }
        else
        {
            Found(label, outcome.Text);
        }
    }

    private void Found(string label, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        foreach (var scanned in UrlTextScanner.Scan(text, MaxUrlsPerCode))
        {
            var url = _urls.Add(scanned.Url, UrlSource.QrCode, defanged: scanned.Defanged)
                ?? UrlInspector.Inspect(scanned.Url, UrlSource.QrCode, null, _context.Settings, scanned.Defanged);
            if (!_reported.Add(url.Url) || ++_codes > UrlCollector.FindingsPerSignal)
            {
                continue;
            }

            _context.Result.Add(UrlSignals.QrCode, $"a QR code in {label} leads to {url.Url}");
            var target = url.Unwrapped ?? url.Url;
            if (LooksLikeLogin(target))
            {
                _context.Result.Add(UrlSignals.QrCodeLogin, $"the QR code in {label} opens what reads like a sign-in page: {target}");
            }

            if (Offsite(url.Host) is { } from)
            {
                _context.Result.Add(UrlSignals.QrCodeOffsite, $"the QR code in {label} leads to {url.Host}, not the sender's {from}");
            }
        }
    }

    /// <summary>The sender's registrable domain when <paramref name="host"/> is elsewhere (and not one of the organisation's own); else null.</summary>
    private string? Offsite(string? host)
    {
        var from = _context.Result.Sender.FromRegistrableDomain;
        if (from is null || host is null || DomainNames.IsUnderAny(host, _context.Settings.OrganizationDomains))
        {
            return null;
        }

        var domain = DomainNames.RegistrableDomain(host) ?? DomainNames.Normalize(host);
        return string.Equals(domain, from, StringComparison.OrdinalIgnoreCase) ? null : from;
    }
}
