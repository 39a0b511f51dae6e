namespace MfaReset.LoadTest.Measurement;

/// <summary>Order statistics over a finished sample set.</summary>
internal static class Percentiles
{
    /// <summary>
    /// Nearest-rank percentile (the smallest sample with at least <paramref name="percent"/> % of the
    /// samples at or below it), so a reported p99 is always a latency that really happened.
    /// </summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sorted.Count);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>The median of repeated runs: the middle value, or the mean of the two middle ones.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sorted.Length);
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
