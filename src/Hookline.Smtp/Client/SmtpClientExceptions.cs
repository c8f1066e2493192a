namespace Hookline.Smtp.Client;

/// <summary>Where in a session a failure happened; decides who is to blame and whether the message itself was refused.</summary>
public enum SmtpFailureStage
{
    /// <summary>Connecting, the greeting, EHLO/HELO or the TLS handshake.</summary>
    Connect,

    /// <summary>AUTH: the credentials or the mechanism.</summary>
    Authentication,

    /// <summary>MAIL, RCPT, DATA or the end of data: this message (or its recipients) was refused.</summary>
    Transaction,

    /// <summary>Anything else (RSET, NOOP, QUIT).</summary>
    Session,
}

/// <summary>
/// An SMTP failure. <see cref="IsPermanent"/> is true for a 5yz reply (RFC 5321 4.2.1: the same
/// request will fail again); a 4yz reply, a broken connection, a timeout or a malformed reply are
/// transient. <see cref="Reply"/> is the server's reply when there was one.
/// </summary>
public class SmtpException : Exception
{
    public SmtpException()
    {
    }

    public SmtpException(string message)
        : base(message)
    {
    }

    public SmtpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SmtpException(string message, SmtpFailureStage stage, bool isPermanent, SmtpReply? reply = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Stage = stage;
        IsPermanent = isPermanent;
        Reply = reply;
    }

    public SmtpFailureStage Stage { get; }

    /// <summary>True when retrying the same thing cannot succeed (a 5yz reply, or a local refusal such as an oversized message).</summary>
    public bool IsPermanent { get; }

    /// <summary>True when a 4yz reply, a network failure or a timeout is to blame: a later attempt may succeed.</summary>
    public bool IsTransient => !IsPermanent;

    public SmtpReply? Reply { get; }

    /// <summary>
    /// True when the end of data was written but no reply came (the connection broke or timed out):
    /// the server may or may not have taken the message. Sending it again may deliver it twice.
    /// </summary>
    public bool DeliveryUnknown { get; init; }
}
