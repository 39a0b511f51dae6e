using System.Globalization;

namespace MfaReset.Web.Infrastructure;

/// <summary>How long a step stays open (rendered by <c>_TimeLeft</c>).</summary>
/// <param name="Seconds">Whole seconds left.</param>
/// <param name="Text">The text around the duration.</param>
public sealed record TimeLeft(int Seconds, (string Before, string After) Text)
{
    /// <summary>The time left until <paramref name="endsAt"/>, in the words around it.</summary>
    public static TimeLeft Until(DateTimeOffset endsAt, DateTimeOffset now, string before, string after) =>
        new(Countdown.SecondsUntil(endsAt, now), (before, after));

    /// <summary>"4 minutes", "1 minute", "45 seconds": what the page says before the script takes over.</summary>
    public static string Describe(int seconds)
    {
        if (seconds >= 90)
        {
            var minutes = (int)Math.Round(seconds / 60.0, MidpointRounding.AwayFromZero);
            return string.Create(CultureInfo.InvariantCulture, $"{minutes} minutes");
        }

        return seconds >= 60 ? "1 minute" : string.Create(CultureInfo.InvariantCulture, $"{seconds} seconds");
    }
}
