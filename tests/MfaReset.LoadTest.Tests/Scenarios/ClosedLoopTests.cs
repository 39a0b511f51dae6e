using MfaReset.LoadTest.Measurement;
using MfaReset.LoadTest.Scenarios;

namespace MfaReset.LoadTest.Tests.Scenarios;

public sealed class ClosedLoopTests
{
    [Fact]
    public async Task AWindowShorterThanOneIterationStaysOpenUntilOneCompletes()
    {
        // Each iteration takes far longer than the window, as a reset does on a busy machine.
        var loop = await new ClosedLoop(TimeProvider.System).RunAsync(
            users: 1,
            warmup: TimeSpan.Zero,
            window: TimeSpan.FromMilliseconds(10),
            new LatencyRecorder(measuring: false),
            async (_, token) =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300), token);
                return IterationOutcome.Completed;
            },
            TestContext.Current.CancellationToken);

        Assert.True(loop.Completed >= 1);
        Assert.True(loop.PerSecond > 0);
        Assert.Equal(loop.Completed, loop.Durations.Count);
    }

    [Fact]
    public async Task UsersWithNothingLeftToDoCloseTheWindowWithNothingCounted()
    {
        var loop = await new ClosedLoop(TimeProvider.System).RunAsync(
            users: 2,
            warmup: TimeSpan.Zero,
            window: TimeSpan.FromMilliseconds(10),
            new LatencyRecorder(measuring: false),
            (_, _) => Task.FromResult(IterationOutcome.Exhausted),
            TestContext.Current.CancellationToken);

        Assert.Equal(0, loop.Completed);
    }
}
