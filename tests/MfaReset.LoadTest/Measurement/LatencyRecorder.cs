using System.Collections.Concurrent;

namespace MfaReset.LoadTest.Measurement;

/// <summary>
/// Collects every response of a run: its latency per page, and its status class. Thread-safe; one
/// recorder per measured run, so figures never mix runs.
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly ConcurrentDictionary<string, Samples> _pages = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _serverErrors = new();
    private long _responses;

    /// <summary>Every response answered with a 5xx, as "METHOD page status".</summary>
    public IReadOnlyCollection<string> ServerErrors => _serverErrors;

    /// <summary>How many responses were recorded.</summary>
    public long Responses => Interlocked.Read(ref _responses);

    /// <summary>Records one response of <paramref name="page"/> (e.g. "POST /Reset/VerifyCode").</summary>
    public void Record(string page, TimeSpan latency, int status)
    {
        _pages.GetOrAdd(page, static _ => new Samples()).Add(latency.TotalMilliseconds);
        Interlocked.Increment(ref _responses);
        if (status >= 500)
        {
            _serverErrors.Enqueue($"{page} {status}");
        }
    }

    /// <summary>Latency statistics per page, in milliseconds, ordered by page.</summary>
    public IReadOnlyList<PageLatency> Summarize() =>
        [.. _pages.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.Summarize(p.Key))];

    /// <summary>Latency statistics of one page, or null when it was never requested.</summary>
    public PageLatency? Summarize(string page) =>
        _pages.TryGetValue(page, out var samples) ? samples.Summarize(page) : null;

    private sealed class Samples
    {
        private readonly Lock _gate = new();
        private readonly List<double> _milliseconds = [];

        public void Add(double milliseconds)
        {
            lock (_gate)
            {
                _milliseconds.Add(milliseconds);
            }
        }

        public PageLatency Summarize(string page)
        {
            double[] sorted;
            lock (_gate)
            {
                sorted = [.. _milliseconds];
            }

            Array.Sort(sorted);
            return new PageLatency(
                page,
                sorted.Length,
                Percentiles.NearestRank(sorted, 50),
                Percentiles.NearestRank(sorted, 95),
                Percentiles.NearestRank(sorted, 99));
        }
    }
}

/// <summary>Latency of one page over a run, in milliseconds.</summary>
internal sealed record PageLatency(string Page, int Count, double P50, double P95, double P99);
