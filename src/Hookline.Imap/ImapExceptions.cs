namespace Hookline.Imap;

/// <summary>
/// An IMAP failure: the connection could not be made or was lost, a command timed out, TLS failed,
/// or the client was used in a state that does not allow the call. After any <see cref="ImapException"/>
/// other than <see cref="ImapCommandException"/> the connection is closed and the client unusable.
/// </summary>
public class ImapException : Exception
{
    public ImapException()
    {
    }

    public ImapException(string message)
        : base(message)
    {
    }

    public ImapException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The server sent something that is not IMAP, or broke a limit (line length, literal size).</summary>
public class ImapProtocolException : ImapException
{
    public ImapProtocolException()
    {
    }

    public ImapProtocolException(string message)
        : base(message)
    {
    }

    public ImapProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The server answered a command with NO or BAD. The connection stays usable.</summary>
public class ImapCommandException : ImapException
{
    public ImapCommandException()
    {
    }

    public ImapCommandException(string message)
        : base(message)
    {
    }

    public ImapCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ImapCommandException(string command, string status, string? responseCode, string responseText)
        : base($"{command} failed: {status}{(responseCode is null ? "" : " [" + responseCode + "]")} {responseText}")
    {
        Command = command;
        Status = status;
        ResponseCode = responseCode;
        ResponseText = responseText;
    }

    /// <summary>The command's name (e.g. <c>LOGIN</c>, <c>UID MOVE</c>).</summary>
    public string Command { get; } = "";

    /// <summary><c>NO</c> or <c>BAD</c>.</summary>
    public string Status { get; } = "";

    /// <summary>The response code's name without brackets (e.g. <c>AUTHENTICATIONFAILED</c>), when the server gave one.</summary>
    public string? ResponseCode { get; }

    /// <summary>The server's human-readable text.</summary>
    public string ResponseText { get; } = "";
}
