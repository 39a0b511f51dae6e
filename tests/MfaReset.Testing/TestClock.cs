using Microsoft.Extensions.Time.Testing;

namespace MfaReset.Testing;

/// <summary>
/// Microsoft's <see cref="FakeTimeProvider"/> (timers fire when <see cref="FakeTimeProvider.Advance"/>
/// passes their due time) plus a record of every timer the code under test starts, so a test can wait
/// until that code has scheduled a delay (a retry backoff, a rate-limit wait, a timeout) and then move
/// the clock exactly that far. Nothing here sleeps.
/// </summary>
public sealed class TestClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    /// <summary>Every test clock starts here (not FakeTimeProvider's 2000-01-01), so dates in test output are plausible and stable.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<StartedTimer> _started = [];
    private TaskCompletionSource _timerStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TestClock()
        : this(DefaultStart)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(this, base.CreateTimer(callback, state, dueTime, period));
        Armed(dueTime);
        return timer;
    }

    /// <summary>
    /// The next not yet claimed timer whose due time matches, waiting for the code under test to start
    /// one. The 10 s guard only turns a hang into a failure; no test relies on it passing.
    /// </summary>
    public async Task<TimeSpan> NextTimerAsync(Func<TimeSpan, bool> dueTimeMatches)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            Task started;
            lock (_gate)
            {
                var match = _started.FirstOrDefault(t => !t.Claimed && dueTimeMatches(t.DueTime));
                if (match is not null)
                {
                    match.Claimed = true;
                    return match.DueTime;
                }

                started = _timerStarted.Task;
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException("The code under test never started the expected timer.");
            }

            await started.WaitAsync(remaining).ConfigureAwait(false);
        }
    }

    // Timers are started when created with a due time or when changed to one (CancellationTokenSource
    // creates its timer disarmed and then changes it).
    private void Armed(TimeSpan dueTime)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        lock (_gate)
        {
            _started.Add(new StartedTimer(dueTime));
            _timerStarted.TrySetResult();
            _timerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Marks every timer started so far as claimed, so a test sharing the clock sees only its own.</summary>
    public void ClaimStartedTimers()
    {
        lock (_gate)
        {
            _started.ForEach(t => t.Claimed = true);
        }
    }

    /// <summary>Every timer started so far, in order.</summary>
    public IReadOnlyList<TimeSpan> StartedDueTimes
    {
        get
        {
            lock (_gate)
            {
                return _started.Select(t => t.DueTime).ToArray();
            }
        }
    }

    private sealed class ObservedTimer(TestClock owner, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            owner.Armed(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class StartedTimer(TimeSpan dueTime)
    {
        public TimeSpan DueTime { get; } = dueTime;

        public bool Claimed { get; set; }
    }
}
