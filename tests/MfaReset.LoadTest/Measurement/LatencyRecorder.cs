using System.Collections.Concurrent;

namespace MfaReset.LoadTest.Measurement;

/// <summary>
/// Sees every response of a run: 5xx are kept whenever they happen (warm-up included, so a broken portal
/// cannot hide one), latencies per page only while measuring. Thread-safe; one recorder per run, so
/// figures never mix runs.
/// </summary>
internal sealed class LatencyRecorder(bool measuring = true)
{
    private readonly ConcurrentDictionary<string, Samples> _pages = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _serverErrors = new();
    private volatile bool _measuring = measuring;
    private long _responses;

    /// <summary>Latencies recorded from now on count (after a warm-up).</summary>
    public void StartMeasuring() => _measuring = true;

    /// <summary>Latencies recorded from now on do not count (the stragglers after a window).</summary>
    public void StopMeasuring() => _measuring = false;

    /// <summary>Every response answered with a 5xx, as "METHOD page status".</summary>
    public IReadOnlyCollection<string> ServerErrors => _serverErrors;

    /// <summary>How many responses were recorded while measuring.</summary>
    public long Responses => Interlocked.Read(ref _responses);

    /// <summary>Records one response of <paramref name="page"/> (e.g. "POST /Reset/VerifyCode").</summary>
    public void Record(string page, TimeSpan latency, int status)
    {
        if (status >= 500)
        {
            _serverErrors.Enqueue($"{page} {status}");
        }

        if (_measuring)
        {
            _pages.GetOrAdd(page, static _ => new Samples()).Add(latency.TotalMilliseconds);
            Interlocked.Increment(ref _responses);
        }
    }

    /// <summary>Latency statistics per page, in milliseconds, ordered by page.</summary>
    public IReadOnlyList<PageLatency> Summarize() =>
        [.. _pages.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.Summarize(p.Key))];

    /// <summary>Latency statistics over every page together, or null when nothing was measured.</summary>
    public PageLatency? SummarizeAll(string label = "all pages")
    {
        var all = new Samples();
        foreach (var samples in _pages.Values)
        {
            all.AddRange(samples);
        }

        return all.IsEmpty ? null : all.Summarize(label);
    }

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

        public bool IsEmpty
        {
            get
            {
                lock (_gate)
                {
                    return _milliseconds.Count == 0;
                }
            }
        }

        public void AddRange(Samples other)
        {
            double[] copy;
            lock (other._gate)
            {
                copy = [.. other._milliseconds];
            }

            lock (_gate)
            {
                _milliseconds.AddRange(copy);
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
