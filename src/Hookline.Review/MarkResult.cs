namespace Hookline.Review;

/// <summary>The names <see cref="ReviewValidationError.Field"/> uses: the request fields of a mark, as the API and the mark forms name them.</summary>
public static class ReviewFields
{
    public const string Ids = "ids";
    public const string Verdict = "verdict";
    public const string Comment = "comment";
}

/// <summary>One reason a mark was refused: the field it is about (<see cref="ReviewFields"/>) and what is wrong with it, a sentence for people.</summary>
public sealed record ReviewValidationError(string Field, string Message);

/// <summary>
/// What <see cref="ReviewService.MarkAsync"/> did: either every report marked (<see cref="Outcomes"/>,
/// one per distinct id in the order given) or nothing written and <see cref="Errors"/> saying why.
/// </summary>
public sealed class MarkResult
{
    private MarkResult(IReadOnlyList<ReviewOutcome> outcomes, IReadOnlyList<ReviewValidationError> errors)
    {
        Outcomes = outcomes;
        Errors = errors;
    }

    /// <summary>What marking did to each report; empty when the mark was refused.</summary>
    public IReadOnlyList<ReviewOutcome> Outcomes { get; }

    /// <summary>Why the mark was refused; empty when it was made.</summary>
    public IReadOnlyList<ReviewValidationError> Errors { get; }

    /// <summary>The mark was made.</summary>
    public bool Succeeded => Errors.Count == 0;

    public static MarkResult Marked(IReadOnlyList<ReviewOutcome> outcomes) => new(outcomes, []);

    public static MarkResult Refused(IReadOnlyList<ReviewValidationError> errors)
    {
        ArgumentOutOfRangeException.ThrowIfZero(errors.Count);
        return new MarkResult([], errors);
    }

    /// <summary>The errors' messages by field, in the order found: the shape of problem details' <c>errors</c>.</summary>
    public Dictionary<string, string[]> ErrorsByField() =>
        Errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
}
