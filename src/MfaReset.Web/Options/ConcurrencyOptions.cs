using System.ComponentModel.DataAnnotations;

namespace MfaReset.Web.Options;

/// <summary>
/// The one limit on requests this instance works on at once, for every client together, in front of the
/// pages (<see cref="Infrastructure.RequestConcurrencyLimit"/>). Bound from <c>Concurrency</c>.
/// </summary>
public sealed class ConcurrencyOptions
{
    public const string SectionName = "Concurrency";

    /// <summary>Requests worked on at once; more wait in the queue.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentRequests { get; set; } = 256;

    /// <summary>Requests waiting, oldest first, for one of <see cref="MaxConcurrentRequests"/>; beyond them the busy page (503).</summary>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; } = 512;

    /// <summary>What a refused request's <c>Retry-After</c> says: places free within moments.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
