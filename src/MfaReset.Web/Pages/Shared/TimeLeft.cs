namespace MfaReset.Web.Pages;

/// <summary>How long a step stays open (rendered by <c>_TimeLeft</c>).</summary>
/// <param name="Seconds">Whole seconds left.</param>
/// <param name="Text">The text around the duration, <c>{0}</c> where it goes.</param>
public sealed record TimeLeft(int Seconds, string Text)
{
    /// <summary>The time is the flow's own: when it is up, the page's forms are switched off and "Start again" shown.</summary>
    public bool EndsTheFlow { get; init; }

    /// <summary>The time left until <paramref name="endsAt"/>, in the words around it.</summary>
    public static TimeLeft Until(DateTimeOffset endsAt, DateTimeOffset now, string text) =>
        new(Countdown.SecondsUntil(endsAt, now), text);

    /// <summary>
    /// "2 hours", "1 hour", "4 minutes", "1 minute", "45 seconds" in the person's language: what the page says before
    /// the script takes over, and how long a limit or pause lasts. Hours only when they are whole.
    /// </summary>
    public static string Describe(IStringLocalizer text, int seconds)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (seconds >= 3600 && seconds % 3600 == 0)
        {
            return seconds == 3600 ? text["1 hour"] : text["{0} hours", seconds / 3600];
        }

        if (seconds >= 90)
        {
            return text["{0} minutes", (int)Math.Round(seconds / 60.0, MidpointRounding.AwayFromZero)];
        }

        return seconds >= 60 ? text["1 minute"] : text["{0} seconds", seconds];
    }
}
