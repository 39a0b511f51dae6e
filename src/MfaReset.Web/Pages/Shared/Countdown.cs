namespace MfaReset.Web.Pages;

/// <summary>A "send" button and, while it must wait, how long (rendered by <c>_Countdown</c>, which localizes every text).</summary>
/// <param name="Seconds">Whole seconds until the button may be pressed; 0 when it may.</param>
/// <param name="ButtonText">The button's label.</param>
/// <param name="WaitText">The text around the number of seconds, <c>{0}</c> where it goes ("You can ask for a code in {0} seconds.").</param>
/// <param name="ReadyText">Said when the wait is over.</param>
/// <param name="ReadyHint">Shown under the button when there is no wait, if anything.</param>
/// <param name="Secondary">A secondary button.</param>
/// <param name="FormClass">The form's class.</param>
public sealed record Countdown(
    int Seconds,
    string ButtonText,
    string WaitText,
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

    /// <summary>A localized text with one <c>{0}</c>, split around it, so the script can count the number down in place.</summary>
    public static (string Before, string After) Around(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var at = format.IndexOf("{0}", StringComparison.Ordinal);
        return at < 0 ? (format, string.Empty) : (format[..at], format[(at + 3)..]);
    }
}
