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
/// can serve at that concurrency. After a warm-up, a window is measured (at least one iteration long);
/// iterations still running when it closes finish (a reset is never abandoned half-way) but no longer count.
/// </summary>
internal sealed class ClosedLoop(TimeProvider time)
{
    /// <summary>
    /// A window stays open past its length until one iteration has completed inside it (or every user has
    /// stopped): on a busy machine a short window can close before the first reset ends, and a rate of zero
    /// would say nothing about the portal. The rate is always over the window as measured.
    /// </summary>
    private static readonly TimeSpan LongestWindow = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan WindowExtension = TimeSpan.FromMilliseconds(50);

    /// <param name="iteration">One iteration of user <c>index</c>.</param>
    public async Task<LoopResult> RunAsync(
        int users, TimeSpan warmup, TimeSpan window, LatencyRecorder recorder,
        Func<int, CancellationToken, Task<IterationOutcome>> iteration, CancellationToken ct)
    {
        var open = 1;
        var measuring = 0;
        var completed = 0;
        var durations = new ConcurrentQueue<double>();

        async Task UserAsync(int index)
        {
            // Users start on the thread pool, not on the caller's stack, so the first one's work cannot delay the rest.
            await Task.Yield();
            while (Volatile.Read(ref open) == 1)
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
        var allUsers = Task.WhenAll(tasks);
        while (Volatile.Read(ref completed) == 0 && !allUsers.IsCompleted && time.GetElapsedTime(windowStarted) < LongestWindow)
        {
            await Task.Delay(WindowExtension, time, ct).ConfigureAwait(false);
        }

        Volatile.Write(ref measuring, 0);
        Volatile.Write(ref open, 0);
        recorder.StopMeasuring();
        var measured = time.GetElapsedTime(windowStarted);
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return new LoopResult(Volatile.Read(ref completed), measured, [.. durations]);
    }
}
