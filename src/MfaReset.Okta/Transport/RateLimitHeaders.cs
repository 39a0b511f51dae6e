using System.Globalization;
using System.Net.Http.Headers;

namespace MfaReset.Okta;

/// <summary>Reads Okta's <c>X-Rate-Limit-*</c> headers and the wait a 429 asks for.</summary>
internal static class RateLimitHeaders
{
    /// <summary>Okta's SDK guidance: wait until the reset, measured on Okta's own clock, plus one second.</summary>
    private static readonly TimeSpan ResetMargin = TimeSpan.FromSeconds(1);

    private const long MaxEpochSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z, DateTimeOffset's limit.

    /// <summary>Okta's windows last a minute; no wait derived from a reset is taken as longer than this.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);

    private static readonly string[] Names = ["X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"];

    /// <summary>
    /// Null when none of the three headers is present or readable; an unreadable one is left out (a reset
    /// outside 2000–2100 is unreadable). A 2xx answer with any unreadable one is refused as a whole
    /// (<see cref="AreMalformed"/>).
    /// </summary>
    public static RateLimitInfo? Read(HttpResponseHeaders headers)
    {
        var limit = ReadInt(headers, "X-Rate-Limit-Limit");
        var remaining = ReadInt(headers, "X-Rate-Limit-Remaining");
        var reset = ReadLong(headers, "X-Rate-Limit-Reset") is { } seconds && IsPlausibleReset(seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        return limit is null && remaining is null && reset is null ? null : new RateLimitInfo(limit, remaining, reset);
    }

    /// <summary>
    /// True when a rate-limit header is present but is not what Okta documents: not a whole number in
    /// range, or a reset outside 2000–2100. Such an answer is untrusted as a whole.
    /// </summary>
    public static bool AreMalformed(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var name in Names)
        {
            if (headers.Contains(name) && ReadLong(headers, name) is null or > MaxEpochSeconds)
            {
                return true;
            }
        }

        if ((headers.Contains("X-Rate-Limit-Limit") && ReadInt(headers, "X-Rate-Limit-Limit") is null)
            || (headers.Contains("X-Rate-Limit-Remaining") && ReadInt(headers, "X-Rate-Limit-Remaining") is null))
        {
            return true;
        }

        if (ReadLong(headers, "X-Rate-Limit-Reset") is not { } seconds)
        {
            return false;
        }

        return !IsPlausibleReset(seconds);
    }

    private static bool IsPlausibleReset(long seconds) =>
        seconds is >= 0 and <= MaxEpochSeconds
        && DateTimeOffset.FromUnixTimeSeconds(seconds) is var reset
        && reset >= Wire.WireLimits.EarliestInstant && reset < Wire.WireLimits.LatestInstant;

    /// <summary>
    /// How long to wait before asking again: reset minus the response's <c>Date</c> (Okta's clock, so
    /// skew between the clocks does not matter) plus a second. Null when Okta gave no reset.
    /// </summary>
    public static TimeSpan? WaitBeforeRetry(RateLimitInfo? rateLimit, DateTimeOffset? responseDate, DateTimeOffset now)
    {
        if (rateLimit?.ResetAt is not { } resetAt)
        {
            return null;
        }

        var untilReset = resetAt - (responseDate ?? now);
        // A reset far from Okta's clock (a broken Date header, a stale fixture) is capped, never trusted whole.
        return (untilReset > TimeSpan.Zero ? (untilReset < MaxWait ? untilReset : MaxWait) : TimeSpan.Zero) + ResetMargin;
    }

    private static int? ReadInt(HttpResponseHeaders headers, string name) =>
        ReadLong(headers, name) is { } value && value is >= 0 and <= int.MaxValue ? (int)value : null;

    private static long? ReadLong(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
