namespace Hookline.Smtp;

/// <summary>
/// Receives each message the server accepts. The server answers the client's end of data with 250 only
/// after <see cref="HandleAsync"/> has completed, so a handler returns only once the message is durably
/// stored; if it throws, the client gets 451 4.3.0 and keeps the message to retry.
/// </summary>
public interface ISmtpMessageHandler
{
    /// <summary>Stores one message: <paramref name="data"/> is exactly the bytes the client sent, dot-unstuffed, with no header added.</summary>
    Task HandleAsync(SmtpEnvelope envelope, byte[] data, CancellationToken cancellationToken);
}

/// <summary>A handler as a delegate; see <see cref="ISmtpMessageHandler"/>.</summary>
public delegate Task SmtpMessageHandler(SmtpEnvelope envelope, byte[] data, CancellationToken cancellationToken);

internal sealed class DelegateMessageHandler(SmtpMessageHandler handler) : ISmtpMessageHandler
{
    public Task HandleAsync(SmtpEnvelope envelope, byte[] data, CancellationToken cancellationToken) => handler(envelope, data, cancellationToken);
}
