using System.Text;
using Hookline.Mime.Dates;
using Hookline.Reports.Analysis.Domains;

namespace Hookline.Reports.Analysis.Relay;

/// <summary>
/// Reads a Received field value in the forms real servers write: RFC 5321 section 4.4 ("from x (y
/// [ip]) by z with ESMTP id q for &lt;r&gt;; date"), Exchange ("from x (ip) by y (ip) with Microsoft
/// SMTP Server (version=TLS1_2, ...) id ...; date"), Postfix, sendmail, Exim ("([ip] helo=x)"), qmail
/// ("(qmail 123 invoked from network); date"), Gmail ("by 2002:a05:...  with SMTP id ..."). Linear,
/// bounded, never throws; whatever cannot be read stays null.
/// </summary>
public static class ReceivedParser
{
    /// <summary>The raw text kept on a hop is cut here.</summary>
    public const int MaxRawLength = 4096;

    /// <summary>Only this much of the part before the date is tokenised.</summary>
    public const int MaxClauseLength = 8192;

    private const int MaxTokens = 256;

    private const int MaxText = 256;

    private static readonly string[] Keywords = ["from", "by", "via", "with", "id", "for"];

    private enum TokenKind
    {
        Word,
        Literal,
        Comment,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    /// <summary>Parses one Received field value into a hop.</summary>
    public static ReceivedHop Parse(string value, int index = 0)
    {
        var hop = new ReceivedHop { Index = index, Raw = value.Length <= MaxRawLength ? value : value[..MaxRawLength] };
        var semi = DateSeparator(value);
        var clauses = semi < 0 ? value : value[..semi];
        if (semi >= 0)
        {
            var dateText = value[(semi + 1)..].Trim();
            if (dateText.Length > MaxText)
            {
                dateText = dateText[..MaxText];
            }

            hop.DateText = dateText;
            if (DateParser.TryParse(dateText, out var at, out _))
            {
                hop.At = at;
            }
        }

        if (clauses.Length > MaxClauseLength)
        {
            clauses = clauses[..MaxClauseLength];
        }

        ReadClauses(Tokenize(clauses), hop);
        return hop;
    }

    // The last ";" outside comments; the last ";" at all when the parentheses do not balance.
    private static int DateSeparator(string value)
    {
        var depth = 0;
        var last = -1;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                i++;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && depth > 0)
            {
                depth--;
            }
            else if (c == ';' && depth == 0)
            {
                last = i;
            }
        }

        return last >= 0 ? last : value.LastIndexOf(';');
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>(32);
        var i = 0;
        while (i < text.Length && tokens.Count < MaxTokens)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c == ')')
            {
                i++;
            }
            else if (c == '(')
            {
                var start = i + 1;
                var depth = 0;
                while (i < text.Length)
                {
                    if (text[i] == '\\')
                    {
                        i++;
                    }
                    else if (text[i] == '(')
                    {
                        depth++;
                    }
                    else if (text[i] == ')' && --depth == 0)
                    {
                        break;
                    }

                    i++;
                }

                var end = Math.Min(i, text.Length);
                i = Math.Min(i + 1, text.Length);
                tokens.Add(new Token(TokenKind.Comment, text[start..end]));
            }
            else if (c == '[')
            {
                var close = text.IndexOf(']', i);
                var space = text.AsSpan(i).IndexOfAny(" \t\r\n(");
                var stop = space < 0 ? text.Length : i + space;
                if (close < 0 || close > stop)
                {
                    tokens.Add(new Token(TokenKind.Word, text[i..stop]));
                    i = stop;
                }
                else
                {
                    tokens.Add(new Token(TokenKind.Literal, text[i..(close + 1)]));
                    i = close + 1;
                }
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not '(' and not ')')
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i]));
            }
        }

        return tokens;
    }

    private static void ReadClauses(List<Token> tokens, ReceivedHop hop)
    {
        string? clause = null;
        var valueTaken = false;
        var with = new StringBuilder();
        var via = new StringBuilder();
        var comments = new StringBuilder();
        foreach (var token in tokens)
        {
            if (token.Kind == TokenKind.Word && Array.IndexOf(Keywords, token.Text.ToLowerInvariant()) is var k and >= 0 && (valueTaken || clause is null))
            {
                clause = Keywords[k];
                valueTaken = false;
                continue;
            }

            if (token.Kind == TokenKind.Comment)
            {
                Append(comments, token.Text, "; ");
                if (clause == "from")
                {
                    ReadFromComment(token.Text, hop);
                }
                else if (clause == "by" && hop.ByIp is null)
                {
                    hop.ByIp = FindIp(token.Text);
                }

                continue;
            }

            var text = Bound(token.Text);
            switch (clause)
            {
                case "from" when !valueTaken:
                    hop.From = HostOrLiteral(text, hop, isFrom: true);
                    break;
                case "by" when !valueTaken:
                    hop.By = HostOrLiteral(text, hop, isFrom: false);
                    break;
                case "with":
                    Append(with, text, " ");
                    break;
                case "via":
                    Append(via, text, " ");
                    break;
                case "id" when !valueTaken:
                    hop.Id = text.TrimEnd(';');
                    break;
                case "for" when !valueTaken:
                    hop.For = text.Trim('<', '>', ';');
                    break;
                case "from" when token.Kind == TokenKind.Literal && hop.Ip is null:
                    hop.Ip = FindIp(token.Text);
                    break;
            }

            valueTaken = true;
        }

        hop.With = with.Length == 0 ? null : with.ToString();
        hop.Via = via.Length == 0 ? null : via.ToString();
        hop.Comments = comments.Length == 0 ? null : comments.ToString();
    }

    private static string HostOrLiteral(string text, ReceivedHop hop, bool isFrom)
    {
        var host = text.TrimEnd('.');
        if (isFrom && hop.Ip is null && (host.StartsWith('[') || DomainNames.TryParseIp(host, out _)))
        {
            hop.Ip = FindIp(host);
        }

        return host;
    }

    // "(mail.example.com [192.0.2.1])", "(203.0.113.9)", "([192.0.2.1] helo=x)", "(HELO x) (192.0.2.1)",
    // "(IDENT:root@localhost [127.0.0.1])", "(unknown [192.0.2.1] (may be forged))".
    private static void ReadFromComment(string comment, ReceivedHop hop)
    {
        var ip = FindIp(comment);
        if (ip is not null)
        {
            hop.Ip ??= ip;
        }

        var words = comment.Split([' ', '\t', '\r', '\n', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length && i < 16; i++)
        {
            var w = words[i];
            if (w.StartsWith("helo=", StringComparison.OrdinalIgnoreCase))
            {
                hop.Helo ??= Bound(w[5..].TrimEnd(')', ';'));
            }
            else if (string.Equals(w, "HELO", StringComparison.OrdinalIgnoreCase) || string.Equals(w, "EHLO", StringComparison.OrdinalIgnoreCase))
            {
                if (i + 1 < words.Length)
                {
                    hop.Helo ??= Bound(words[i + 1]);
                }
            }
        }

        if (hop.FromReverseDns is null && words.Length > 0)
        {
            var first = words[0].TrimEnd('.');
            if (first.Contains('.', StringComparison.Ordinal)
                && !first.Contains('@', StringComparison.Ordinal)
                && !first.Contains('=', StringComparison.Ordinal)
                && !first.StartsWith('[')
                && !DomainNames.TryParseIp(first, out _))
            {
                hop.FromReverseDns = Bound(first);
            }
        }
    }

    /// <summary>The first IP address in a text: one in brackets first, else any word that is one.</summary>
    internal static string? FindIp(string text)
    {
        var span = text.AsSpan();
        var searched = 0;
        while (searched < span.Length)
        {
            var open = span[searched..].IndexOf('[');
            if (open < 0)
            {
                break;
            }

            open += searched;
            var close = span[open..].IndexOf(']');
            if (close < 0)
            {
                break;
            }

            if (DomainNames.TryParseIp(span.Slice(open + 1, close - 1), out var address))
            {
                return address!.ToString();
            }

            searched = open + close + 1;
        }

        foreach (var range in span.SplitAny(" \t\r\n()[]=,;"))
        {
            var word = span[range];
            var at = word.LastIndexOf('@');
            if (at >= 0)
            {
                word = word[(at + 1)..];
            }

            if (word.Length >= 7 && DomainNames.TryParseIp(word.TrimEnd('.'), out var address))
            {
                return address!.ToString();
            }
        }

        return null;
    }

    private static void Append(StringBuilder sb, string text, string separator)
    {
        if (sb.Length >= MaxText)
        {
            return;
        }

        if (sb.Length > 0)
        {
            sb.Append(separator);
        }

        sb.Append(text.AsSpan(0, Math.Min(text.Length, MaxText - Math.Min(sb.Length, MaxText))));
    }

    private static string Bound(string text) => text.Length <= MaxText ? text : text[..MaxText];
}
