using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Hookline.Testing.Servers;

/// <summary>The stand-in's request handling: routing, the token check, injected failures, and each endpoint.</summary>
public sealed partial class GraphStandIn
{
    private static readonly string[] RecipientFields = ["To", "Cc", "Bcc"];

    private const string JsonContentType = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";
    private const string SizeExpand = "singlevalueextendedproperties($filter=id eq 'integer 0x0e08')";

    private static readonly string[] MessageProperties = ["id", "receivedDateTime", "internetMessageId", "parentFolderId"];
    private static readonly string[] FolderProperties = ["id", "displayName", "parentFolderId", "childFolderCount", "unreadItemCount", "totalItemCount", "isHidden"];

    private async Task HandleAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var queryAt = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var segments = Segments(queryAt < 0 ? rawTarget : rawTarget[..queryAt]);
        var query = Query(queryAt < 0 ? string.Empty : rawTarget[(queryAt + 1)..]);
        var method = context.Request.Method;
        var endpoint = Classify(method, segments);
        string? prefer = context.Request.Headers.TryGetValue("Prefer", out var preferValues) ? preferValues.ToString() : null;

        var body = new Body([], null);
        if (HttpMethods.IsPost(method))
        {
            // The SDK's compression middleware sends request bodies gzipped (Content-Encoding: gzip), which Graph accepts.
            var gzipped = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
            var content = gzipped ? new GZipStream(context.Request.Body, CompressionMode.Decompress) : context.Request.Body;
            var bytes = new MemoryStream();
            await using (content.ConfigureAwait(false))
            {
                await content.CopyToAsync(bytes).ConfigureAwait(false);
            }

            JsonNode? json = null;
            if (endpoint != GraphEndpoint.SendMail)
            {
                try
                {
                    json = JsonNode.Parse(bytes.ToArray());
                }
                catch (JsonException)
                {
                    json = null;
                }
            }

            body = new Body(bytes.ToArray(), json);
        }

        Reply reply;
        lock (_gate)
        {
            reply = Answer(context, endpoint, segments, query, body);
            _requests.Add(new GraphStandInRequest(method, rawTarget, endpoint, reply.Drop ? 0 : reply.Status, prefer));
        }

        if (reply.Drop)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.Headers["request-id"] = Guid.NewGuid().ToString();
        if (context.Request.Headers.TryGetValue("client-request-id", out var clientRequestId))
        {
            context.Response.Headers["client-request-id"] = clientRequestId;
        }

        if (reply.Body is not null)
        {
            context.Response.ContentType = reply.ContentType;
            context.Response.ContentLength = reply.Body.Length;
            await context.Response.Body.WriteAsync(reply.Body).ConfigureAwait(false);
        }
    }

    private Reply Answer(HttpContext context, GraphEndpoint endpoint, List<string> segments, Dictionary<string, string> query, Body body)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return Error(401, "InvalidAuthenticationToken", "Access token is empty.", context);
        }

        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(authorization["Bearer ".Length..].Trim(), AccessToken, StringComparison.Ordinal))
        {
            return Error(401, "InvalidAuthenticationToken", "Access token validation failure.", context);
        }

        if (_dropsLeft > 0)
        {
            _dropsLeft--;
            return new Reply(0, [], null, null, Drop: true);
        }

        if (_failuresLeft > 0)
        {
            _failuresLeft--;
            var seconds = ((int)Math.Ceiling(_failureRetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            var throttled = _failureStatus == 429
                ? Error(429, "TooManyRequests", "Too many requests. Please retry after the time in Retry-After.", context)
                : Error(_failureStatus, "serviceNotAvailable", "The service is temporarily unavailable. Try again after a delay.", context);
            throttled.Headers.Add(("Retry-After", seconds));
            return throttled;
        }

        if (_refusalsLeft > 0 && _refusal is { } refusal && (refusal.Endpoint is null || refusal.Endpoint == endpoint))
        {
            _refusalsLeft--;
            return Error(refusal.Status, refusal.Code, refusal.Message, context);
        }

        if (endpoint == GraphEndpoint.Other)
        {
            return Error(404, "UnknownError", "The stand-in does not implement this request.", context);
        }

        var user = segments[2];
        if (!string.Equals(user, Mailbox, StringComparison.OrdinalIgnoreCase) && !string.Equals(user, UserId, StringComparison.OrdinalIgnoreCase))
        {
            return Error(404, "ErrorInvalidUser", $"The requested user '{user}' is invalid.", context);
        }

        return endpoint switch
        {
            GraphEndpoint.Delta => Delta(context, user, segments[4], query),
            GraphEndpoint.Content => Content(context, segments[4]),
            GraphEndpoint.Move => Move(context, segments[4], body.Json),
            GraphEndpoint.ListFolders => ListFolders(context, query),
            GraphEndpoint.CreateFolder => CreateFolder(context, body.Json),
            GraphEndpoint.SendMail => SendMail(context, user, body.Bytes),
            _ => Error(404, "UnknownError", "The stand-in does not implement this request.", context),
        };
    }

    private Reply Delta(HttpContext context, string user, string folderKey, Dictionary<string, string> query)
    {
        var folder = ResolveFolder(folderKey);
        if (folder is null)
        {
            return Error(404, "ErrorItemNotFound", "The specified object was not found in the store.", context);
        }

        var pageSize = PageSize(context.Request.Headers["Prefer"].ToString(), out var sizeAsked);
        PageState state;
        if (query.TryGetValue("skiptoken", out var skipToken))
        {
            if (!_skipTokens.TryGetValue(skipToken, out var found) || found.FolderId != folder.Id)
            {
                return SyncStateNotFound(context, user, folder);
            }

            state = found;
        }
        else if (query.TryGetValue("deltatoken", out var deltaToken) && deltaToken.Length > 0)
        {
            if (!_deltaTokens.TryGetValue(deltaToken, out var delta) || delta.FolderId != folder.Id || delta.Generation != _tokenGeneration)
            {
                return SyncStateNotFound(context, user, folder);
            }

            state = BeginRound(folder, delta.Since, delta.Select, delta.ExpandSize);
        }
        else
        {
            foreach (var name in query.Keys)
            {
                if (name is not ("select" or "expand" or "deltatoken"))
                {
                    return Error(501, "notSupported", $"The stand-in does not implement the query option '{name}' on delta.", context);
                }
            }

            var select = query.TryGetValue("select", out var selectText) ? SplitList(selectText) : MessageProperties;
            var unknown = select.FirstOrDefault(p => !MessageProperties.Contains(p, StringComparer.OrdinalIgnoreCase));
            if (unknown is not null)
            {
                return Error(400, "RequestBroker--ParseUri", $"Could not find a property named '{unknown}' on type 'microsoft.graph.message'.", context);
            }

            var expandSize = false;
            if (query.TryGetValue("expand", out var expand))
            {
                if (!string.Equals(Regex.Replace(expand.Trim(), @"\s+", " ").ToLowerInvariant(), SizeExpand, StringComparison.Ordinal))
                {
                    return Error(501, "notSupported", $"The stand-in expands only '{SizeExpand}'.", context);
                }

                expandSize = true;
            }

            state = BeginRound(folder, since: 0, select, expandSize);
        }

        var page = state.Entries.Skip(state.Offset).Take(pageSize).ToList();
        var value = new JsonArray();
        foreach (var entry in page)
        {
            value.Add(entry.Removed ? RemovedJson(entry) : MessageJson(entry, state.Select, state.ExpandSize));
        }

        var json = new JsonObject { ["@odata.context"] = $"{BaseUrl}/$metadata#Collection(message)" };
        var link = $"{BaseUrl}/users/{Uri.EscapeDataString(user)}/mailFolders('{folder.Id}')/messages/delta";
        if (state.Offset + page.Count < state.Entries.Count)
        {
            var token = NewToken();
            _skipTokens[token] = state with { Offset = state.Offset + page.Count };
            json["@odata.nextLink"] = link + "?$skiptoken=" + token;
        }
        else
        {
            var token = NewToken();
            _deltaTokens[token] = new DeltaState(folder.Id, state.Until, state.Select, state.ExpandSize, _tokenGeneration);
            json["@odata.deltaLink"] = link + "?$deltatoken=" + token;
        }

        json["value"] = value;
        var reply = Json(200, json);
        if (sizeAsked)
        {
            reply.Headers.Add(("Preference-Applied", "odata.maxpagesize=" + pageSize.ToString(CultureInfo.InvariantCulture)));
        }

        return reply;
    }

    /// <summary>A round's change list, fixed now: what was added to the folder after <paramref name="since"/>, then (after a first round) what left it.</summary>
    private PageState BeginRound(Folder folder, long since, string[] select, bool expandSize)
    {
        var until = _sequence;
        var entries = new List<Entry>();
        if (since > 0)
        {
            entries.AddRange(_tombstones
                .Where(t => t.FolderId == folder.Id && t.AddedAt <= since && t.RemovedAt > since && t.RemovedAt <= until)
                .OrderBy(t => t.RemovedAt)
                .Select(t => new Entry(t.Id, Removed: true, default, null, folder.Id, 0)));
        }

        entries.AddRange(_messages.Values
            .Where(m => m.FolderId == folder.Id && m.AddedAt > since && m.AddedAt <= until)
            .OrderBy(m => m.AddedAt)
            .Select(m => new Entry(m.Id, Removed: false, m.ReceivedAt, m.InternetMessageId, m.FolderId, m.Raw.Length)));
        return new PageState(folder.Id, entries, 0, until, select, expandSize);
    }

    private Reply SyncStateNotFound(HttpContext context, string user, Folder folder)
    {
        var reply = Error(410, "syncStateNotFound", "The sync state generation is not found. The delta token is expired and data must be synchronized again.", context);
        reply.Headers.Add(("Location", $"{BaseUrl}/users/{Uri.EscapeDataString(user)}/mailFolders('{folder.Id}')/messages/delta?$deltatoken="));
        return reply;
    }

    private Reply Content(HttpContext context, string id)
    {
        if (!_messages.TryGetValue(id, out var message))
        {
            return Error(404, "ErrorItemNotFound", "The specified object was not found in the store.", context);
        }

        return new Reply(200, [], message.Raw, "text/plain");
    }

    private Reply Move(HttpContext context, string id, JsonNode? body)
    {
        // The SDK sends the action parameter as "DestinationId" (its name in Graph's metadata), the documentation as "destinationId".
        var destinationKey = StringProperty(body, "destinationId");
        if (destinationKey is null)
        {
            return Error(400, "ErrorInvalidRequest", "The request body must carry destinationId.", context);
        }

        if (!_messages.TryGetValue(id, out var message))
        {
            return Error(404, "ErrorItemNotFound", "The specified object was not found in the store.", context);
        }

        var destination = ResolveFolder(destinationKey);
        if (destination is null)
        {
            return Error(404, "ErrorItemNotFound", "The specified object was not found in the store.", context);
        }

        _messages.Remove(id);
        _tombstones.Add(new Tombstone(message.Id, message.FolderId, message.AddedAt, ++_sequence));
        var moved = message with { Id = NewId("AAMkAGI2"), FolderId = destination.Id, AddedAt = ++_sequence };
        _messages.Add(moved.Id, moved);
        var json = MessageJson(new Entry(moved.Id, false, moved.ReceivedAt, moved.InternetMessageId, moved.FolderId, moved.Raw.Length), MessageProperties, expandSize: false);
        json["@odata.context"] = $"{BaseUrl}/$metadata#users('{Uri.EscapeDataString(Mailbox)}')/messages/$entity";
        return Json(201, json);
    }

    /// <summary>
    /// <c>POST /users/{id}/sendMail</c> in MIME format, as Microsoft documents it ("user: sendMail", "Send
    /// Outlook messages in MIME format"): <c>Content-Type: text/plain</c>, the whole MIME message in base64
    /// as the body; 202 Accepted with no body; malformed base64 → 400 <c>ErrorMimeContentInvalidBase64String</c>.
    /// The message is kept in Sent Items (as Graph does by default) and recorded in <see cref="SentMail"/>;
    /// a copy addressed to this mailbox is also delivered to its inbox.
    /// </summary>
    private Reply SendMail(HttpContext context, string user, byte[] body)
    {
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim() ?? "";
        if (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Error(501, "notSupported", "The stand-in implements sendMail in MIME format only (Content-Type: text/plain).", context);
        }

        if (!mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            return Error(415, "UnsupportedMediaType", $"The content type '{mediaType}' is not supported; use text/plain for MIME content.", context);
        }

        // Base64 text: line breaks inside it are tolerated, anything else outside the alphabet is not.
        var text = Encoding.ASCII.GetString(body).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim();
        var raw = new byte[text.Length];
        if (text.Length == 0 || !Convert.TryFromBase64String(text, raw, out var length))
        {
            return Error(400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.", context);
        }

        raw = raw[..length];
        var recipients = RecipientFields.SelectMany(h => Addresses(HeaderValue(raw, h))).ToList();
        if (recipients.Count == 0)
        {
            return Error(400, "ErrorInvalidRecipients", "At least one recipient is not valid., Recipient is missing.", context);
        }

        var sentAt = DateTimeOffset.UtcNow;
        _sent.Add(new GraphSentMail(user, recipients, raw.ToArray(), sentAt));
        AddMessageLocked(raw, sentAt, "sentitems");
        if (recipients.Any(r => string.Equals(r, Mailbox, StringComparison.OrdinalIgnoreCase)))
        {
            AddMessageLocked(raw, sentAt, "inbox");
        }

        return new Reply(202, [], null, null);
    }

    private static IEnumerable<string> Addresses(string? header) =>
        header is null ? [] : Regex.Matches(header, @"[^\s<>,;:""]+@[^\s<>,;:""]+").Select(m => m.Value);

    private Reply ListFolders(HttpContext context, Dictionary<string, string> query)
    {
        foreach (var name in query.Keys)
        {
            if (name is not ("select" or "filter" or "includehiddenfolders"))
            {
                return Error(501, "notSupported", $"The stand-in does not implement the query option '{name}' on mailFolders.", context);
            }
        }

        var select = query.TryGetValue("select", out var selectText) ? SplitList(selectText) : FolderProperties;
        string? wanted = null;
        if (query.TryGetValue("filter", out var filter))
        {
            var match = Regex.Match(filter, @"^\s*displayName\s+eq\s+'((?:[^']|'')*)'\s*$", RegexOptions.IgnoreCase);
            if (!match.Success)
            {
                return Error(501, "notSupported", "The stand-in filters folders only by displayName eq '...'.", context);
            }

            wanted = match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal);
        }

        var value = new JsonArray();
        foreach (var folder in _folders.Values.Where(f => f.ParentId == _root.Id).OrderBy(f => f.DisplayName, StringComparer.OrdinalIgnoreCase))
        {
            if (wanted is null || string.Equals(folder.DisplayName, wanted, StringComparison.OrdinalIgnoreCase))
            {
                value.Add(FolderJson(folder, select));
            }
        }

        var json = new JsonObject
        {
            ["@odata.context"] = $"{BaseUrl}/$metadata#users('{Uri.EscapeDataString(Mailbox)}')/mailFolders",
            ["value"] = value,
        };
        return Json(200, json);
    }

    private Reply CreateFolder(HttpContext context, JsonNode? body)
    {
        var name = StringProperty(body, "displayName");
        if (string.IsNullOrWhiteSpace(name))
        {
            return Error(400, "ErrorInvalidRequest", "The request body must carry displayName.", context);
        }

        if (FindTopLevel(name) is not null)
        {
            return Error(409, "ErrorFolderExists", "A folder with the specified name already exists.", context);
        }

        var folder = AddFolder(name, _root.Id, wellKnownName: null);
        var json = FolderJson(folder, FolderProperties);
        json["@odata.context"] = $"{BaseUrl}/$metadata#users('{Uri.EscapeDataString(Mailbox)}')/mailFolders/$entity";
        return Json(201, json);
    }

    private static JsonObject MessageJson(Entry entry, string[] select, bool expandSize)
    {
        var json = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.message",
            ["@odata.etag"] = "W/\"CQAAABYAAAA" + entry.Id[^8..] + "\"",
            ["id"] = entry.Id,
        };
        foreach (var property in select)
        {
            if (property.Equals("receivedDateTime", StringComparison.OrdinalIgnoreCase))
            {
                json["receivedDateTime"] = entry.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            }
            else if (property.Equals("internetMessageId", StringComparison.OrdinalIgnoreCase))
            {
                json["internetMessageId"] = entry.InternetMessageId;
            }
            else if (property.Equals("parentFolderId", StringComparison.OrdinalIgnoreCase))
            {
                json["parentFolderId"] = entry.FolderId;
            }
        }

        if (expandSize)
        {
            json["singleValueExtendedProperties"] = new JsonArray(new JsonObject
            {
                ["id"] = "Integer 0xe08",
                ["value"] = entry.Size.ToString(CultureInfo.InvariantCulture),
            });
        }

        return json;
    }

    private static JsonObject RemovedJson(Entry entry) => new()
    {
        ["@odata.type"] = "#microsoft.graph.message",
        ["id"] = entry.Id,
        ["@removed"] = new JsonObject { ["reason"] = "deleted" },
    };

    private JsonObject FolderJson(Folder folder, string[] select)
    {
        var json = new JsonObject { ["id"] = folder.Id };
        foreach (var property in select)
        {
            switch (property.ToLowerInvariant())
            {
                case "displayname":
                    json["displayName"] = folder.DisplayName;
                    break;
                case "parentfolderid":
                    json["parentFolderId"] = folder.ParentId;
                    break;
                case "childfoldercount":
                    json["childFolderCount"] = _folders.Values.Count(f => f.ParentId == folder.Id);
                    break;
                case "unreaditemcount":
                    json["unreadItemCount"] = 0;
                    break;
                case "totalitemcount":
                    json["totalItemCount"] = _messages.Values.Count(m => m.FolderId == folder.Id);
                    break;
                case "ishidden":
                    json["isHidden"] = false;
                    break;
                default:
                    break;
            }
        }

        return json;
    }

    /// <summary>The page size from <c>Prefer: odata.maxpagesize=n</c> (Graph's default of 10 without it).</summary>
    private static int PageSize(string prefer, out bool asked)
    {
        foreach (var part in prefer.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0
                && part[..equals].Trim().Equals("odata.maxpagesize", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(part[(equals + 1)..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var size)
                && size > 0)
            {
                asked = true;
                return Math.Min(size, MaxPageSize);
            }
        }

        asked = false;
        return DefaultPageSize;
    }

    private static GraphEndpoint Classify(string method, List<string> segments)
    {
        if (segments.Count < 3 || segments[0] != "v1.0" || !segments[1].Equals("users", StringComparison.OrdinalIgnoreCase))
        {
            return GraphEndpoint.Other;
        }

        bool Is(int index, string name) => segments[index].Equals(name, StringComparison.OrdinalIgnoreCase);
        return segments.Count switch
        {
            4 when Is(3, "mailFolders") && HttpMethods.IsGet(method) => GraphEndpoint.ListFolders,
            4 when Is(3, "mailFolders") && HttpMethods.IsPost(method) => GraphEndpoint.CreateFolder,
            6 when Is(3, "messages") && Is(5, "$value") && HttpMethods.IsGet(method) => GraphEndpoint.Content,
            6 when Is(3, "messages") && Is(5, "move") && HttpMethods.IsPost(method) => GraphEndpoint.Move,
            4 when Is(3, "sendMail") && HttpMethods.IsPost(method) => GraphEndpoint.SendMail,
            7 when Is(3, "mailFolders") && Is(5, "messages") && Is(6, "delta") && HttpMethods.IsGet(method) => GraphEndpoint.Delta,
            _ => GraphEndpoint.Other,
        };
    }

    /// <summary>
    /// The path's segments, percent-decoded one by one (so an encoded slash stays inside its segment),
    /// with OData key segments (<c>mailFolders('id')</c>) split in two and function calls
    /// (<c>delta()</c>, <c>microsoft.graph.delta</c>) reduced to their names.
    /// </summary>
    private static List<string> Segments(string path)
    {
        var result = new List<string>();
        foreach (var raw in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = Uri.UnescapeDataString(raw);
            var open = segment.IndexOf('(', StringComparison.Ordinal);
            string name = segment, key = string.Empty;
            if (open > 0 && segment.EndsWith(')'))
            {
                name = segment[..open];
                key = segment[(open + 1)..^1].Trim().Trim('\'');
            }

            if (name.StartsWith("microsoft.graph.", StringComparison.OrdinalIgnoreCase))
            {
                name = name["microsoft.graph.".Length..];
            }

            result.Add(name);
            if (key.Length > 0)
            {
                result.Add(key);
            }
        }

        return result;
    }

    /// <summary>Query options by lower-case name without the <c>$</c>, values decoded.</summary>
    private static Dictionary<string, string> Query(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' ')).TrimStart('$').ToLowerInvariant();
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            result[name] = value;
        }

        return result;
    }

    /// <summary>A string property of a request body, its name matched without regard to case as Graph does for action parameters.</summary>
    private static string? StringProperty(JsonNode? body, string name)
    {
        if (body is JsonObject json)
        {
            foreach (var (key, value) in json)
            {
                if (key.Equals(name, StringComparison.OrdinalIgnoreCase) && value?.GetValueKind() == JsonValueKind.String)
                {
                    return value.GetValue<string>();
                }
            }
        }

        return null;
    }

    private static string[] SplitList(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static Reply Json(int status, JsonNode json) => new(status, [], Encoding.UTF8.GetBytes(json.ToJsonString()), JsonContentType);

    /// <summary>Graph's error body: <c>{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}</c>.</summary>
    private static Reply Error(int status, string code, string message, HttpContext context)
    {
        var json = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                    ["request-id"] = Guid.NewGuid().ToString(),
                    ["client-request-id"] = context.Request.Headers["client-request-id"].ToString(),
                },
            },
        };
        return Json(status, json);
    }

    /// <summary>A POST's body: its bytes (decompressed), and the same parsed as JSON where the endpoint takes JSON (null if it is not JSON).</summary>
    private sealed record Body(byte[] Bytes, JsonNode? Json);

    private sealed record Reply(int Status, List<(string Name, string Value)> Headers, byte[]? Body, string? ContentType, bool Drop = false);
}
