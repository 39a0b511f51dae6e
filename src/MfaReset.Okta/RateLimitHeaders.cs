using System.Globalization;
using System.Net.Http.Headers;

namespace MfaReset.Okta;

/// <summary>Reads Okta's <c>X-Rate-Limit-*</c> headers and the wait a 429 asks for.</summary>
internal static class RateLimitHeaders
{
    /// <summary>Okta's SDK guidance: wait until the reset, measured on Okta's own clock, plus one second.</summary>
    private static readonly TimeSpan ResetMargin = TimeSpan.FromSeconds(1);

    private const long MaxEpochSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z, DateTimeOffset's limit.

    /// <summary>Null when none of the three headers is present or readable.</summary>
    public static RateLimitInfo? Read(HttpResponseHeaders headers)
    {
        var limit = ReadInt(headers, "X-Rate-Limit-Limit");
        var remaining = ReadInt(headers, "X-Rate-Limit-Remaining");
        var reset = ReadLong(headers, "X-Rate-Limit-Reset") is { } seconds && seconds is >= 0 and <= MaxEpochSeconds
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        return limit is null && remaining is null && reset is null ? null : new RateLimitInfo(limit, remaining, reset);
    }

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
        return (untilReset > TimeSpan.Zero ? untilReset : TimeSpan.Zero) + ResetMargin;
    }

    private static int? ReadInt(HttpResponseHeaders headers, string name) =>
        ReadLong(headers, name) is { } value && value is >= 0 and <= int.MaxValue ? (int)value : null;

    private static long? ReadLong(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
