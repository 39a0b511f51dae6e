using System.Collections.Concurrent;

namespace MfaReset.LoadTest.Measurement;

/// <summary>Everything that makes the run fail: resets that did not complete, and 5xx answers. Thread-safe.</summary>
internal sealed class FailureLog
{
    private readonly ConcurrentQueue<string> _failures = new();

    public int Count => _failures.Count;

    public IReadOnlyList<string> Items => [.. _failures];

    public void Add(string failure) => _failures.Enqueue(failure);

    /// <summary>Adds every 5xx the recorder saw, warm-up included.</summary>
    public void AddServerErrors(LatencyRecorder recorder, string where)
    {
        foreach (var error in recorder.ServerErrors)
        {
            Add($"{where}: {error}");
        }
    }
}
