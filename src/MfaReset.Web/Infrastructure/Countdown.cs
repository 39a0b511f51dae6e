namespace MfaReset.Web.Infrastructure;

/// <summary>A "send" button and, while it must wait, how long (rendered by <c>_Countdown</c>).</summary>
/// <param name="Seconds">Whole seconds until the button may be pressed; 0 when it may.</param>
/// <param name="ButtonText">The button's label.</param>
/// <param name="WaitText">The text around the number of seconds ("You can ask for a new code in ", " seconds.").</param>
/// <param name="ReadyText">Said when the wait is over.</param>
/// <param name="ReadyHint">Shown under the button when there is no wait, if anything.</param>
/// <param name="Secondary">A secondary button.</param>
/// <param name="FormClass">The form's class.</param>
public sealed record Countdown(
    int Seconds,
    string ButtonText,
    (string Before, string After) WaitText,
    string ReadyText,
    string? ReadyHint = null,
    bool Secondary = false,
    string? FormClass = null)
{
    /// <summary>Whole seconds from <paramref name="now"/> to <paramref name="at"/>; 0 when it has passed.</summary>
    public static int SecondsUntil(DateTimeOffset? at, DateTimeOffset now)
    {
        var wait = at is { } when ? when - now : TimeSpan.Zero;
        return wait > TimeSpan.Zero ? (int)Math.Ceiling(wait.TotalSeconds) : 0;
    }
}
