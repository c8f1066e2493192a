using Hookline.Reports.Analysis.Domains;

namespace Hookline.Reports.Analysis.Senders;

/// <summary>Who the message says it is from, in its different headers, with the registrable domain of each.</summary>
public sealed class SenderSummary
{
    /// <summary>The From domain as written (lower case), or null.</summary>
    public string? FromDomain { get; set; }

    public string? FromAddress { get; set; }

    /// <summary>The From display name, decoded.</summary>
    public string? FromName { get; set; }

    /// <summary>The registrable domain of the From domain ("evil.co.uk").</summary>
    public string? FromRegistrableDomain { get; set; }

    /// <summary>How many mailboxes the From field holds (more than one is allowed only with a Sender field).</summary>
    public int FromCount { get; set; }

    public List<string> ReplyToAddresses { get; } = [];

    public string? ReplyToRegistrableDomain { get; set; }

    /// <summary>The Return-Path address ("" for the null path).</summary>
    public string? ReturnPath { get; set; }

    public string? ReturnPathRegistrableDomain { get; set; }

    public string? SenderAddress { get; set; }

    public string? SenderRegistrableDomain { get; set; }

    /// <summary>True when the From domain is one of the organisation's.</summary>
    public bool IsInternal { get; set; }

    /// <summary>True when the From domain is a free-mail provider's.</summary>
    public bool IsFreeMail { get; set; }

    /// <summary>The first lookalike found (From first, then Reply-To, Return-Path, Sender), or null.</summary>
    public LookalikeMatch? Lookalike { get; set; }

    public bool IsAllowed { get; set; }

    public bool IsBlocked { get; set; }

    /// <summary>Where the public suffix rules came from (a file, or the built-in fallback).</summary>
    public string? PublicSuffixSource { get; set; }
}
