namespace Hookline.Reports.Analysis.Relay;

/// <summary>One Received field: who handed the message to whom, from which IP, when. FIRST VERSION: fields for the JSON contract.</summary>
public sealed class ReceivedHop
{
    public string? From { get; set; }

    public string? By { get; set; }

    public string? Ip { get; set; }

    public DateTimeOffset? At { get; set; }
}
