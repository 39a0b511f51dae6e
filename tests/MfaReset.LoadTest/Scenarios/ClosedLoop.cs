using System.Collections.Concurrent;
using MfaReset.LoadTest.Measurement;

namespace MfaReset.LoadTest.Scenarios;

/// <summary>What a closed-loop step measured inside its window.</summary>
/// <param name="Completed">Iterations that completed inside the window.</param>
/// <param name="Window">The measured window as the program's clock saw it.</param>
/// <param name="Durations">Milliseconds each of those iterations took, start to end.</param>
internal sealed record LoopResult(int Completed, TimeSpan Window, IReadOnlyList<double> Durations)
{
    public double PerSecond => Completed / Window.TotalSeconds;
}

/// <summary>How one iteration of a virtual user ended.</summary>
internal enum IterationOutcome
{
    /// <summary>Done; counts when it ends inside the window.</summary>
    Completed,

    /// <summary>Did not complete (the caller logged why); the user goes on.</summary>
    Failed,

    /// <summary>Nothing left to do (no fresh person to reset for); the user stops.</summary>
    Exhausted,
}

/// <summary>
/// Virtual users that each repeat an iteration back to back, without think time: the most the portal
/// can serve at that concurrency. After a warm-up, a window is measured; iterations still running when it
/// closes finish (a reset is never abandoned half-way) but no longer count.
/// </summary>
internal sealed class ClosedLoop(TimeProvider time)
{
    /// <param name="iteration">One iteration of user <c>index</c>.</param>
    public async Task<LoopResult> RunAsync(
        int users, TimeSpan warmup, TimeSpan window, LatencyRecorder recorder,
        Func<int, CancellationToken, Task<IterationOutcome>> iteration, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var closesAt = warmup + window;
        var measuring = 0;
        var completed = 0;
        var durations = new ConcurrentQueue<double>();

        async Task UserAsync(int index)
        {
            // Users start on the thread pool, not on the caller's stack, so the first one's work cannot delay the rest.
            await Task.Yield();
            while (time.GetElapsedTime(started) < closesAt)
            {
                var iterationStarted = time.GetTimestamp();
                var outcome = await iteration(index, ct).ConfigureAwait(false);
                if (outcome == IterationOutcome.Exhausted)
                {
                    return;
                }

                if (outcome == IterationOutcome.Completed && Volatile.Read(ref measuring) == 1)
                {
                    Interlocked.Increment(ref completed);
                    durations.Enqueue(time.GetElapsedTime(iterationStarted).TotalMilliseconds);
                }
            }
        }

        var tasks = Enumerable.Range(0, users).Select(UserAsync).ToList();
        await Task.Delay(warmup, time, ct).ConfigureAwait(false);
        var windowStarted = time.GetTimestamp();
        recorder.StartMeasuring();
        Volatile.Write(ref measuring, 1);
        await Task.Delay(window, time, ct).ConfigureAwait(false);
        Volatile.Write(ref measuring, 0);
        recorder.StopMeasuring();
        var measured = time.GetElapsedTime(windowStarted);
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return new LoopResult(Volatile.Read(ref completed), measured, [.. durations]);
    }
}
