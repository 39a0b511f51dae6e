using CsCheck;
using MfaReset.Testing;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;
using MfaReset.Web.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace MfaReset.Web.Tests.Storage.InMemory;

/// <summary>
/// The in-memory store's counters (held in their dictionary entries, an array of older events only from
/// the second event on) and leases (holders packed) answer as a plain list of events and a plain holder would.
/// </summary>
public sealed class InMemoryCounterModelTests
{
    private static readonly RateRule[] Rules = [new(3, TimeSpan.FromMinutes(10)), new(5, TimeSpan.FromHours(1))];

    private enum Step
    {
        Record,
        Forget,
        Wait,
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public async Task CountersAnswerAsAListOfEventsWould()
    {
        var steps = Gen.Select(Gen.Enum<Step>(), Gen.Int[0, 40]).Array[1, 60];
        await steps.SampleAsync(
            async sequence =>
            {
                var clock = new FakeTimeProvider(TestClock.DefaultStart);
                var store = new InMemoryFlowStore(clock);
                var events = new List<DateTimeOffset>();
                foreach (var (step, minutes) in sequence)
                {
                    switch (step)
                    {
                        case Step.Record:
                            var now = clock.GetUtcNow();
                            var allowed = Rules.All(r => events.Count(e => e > now - r.Window) < r.Limit);
                            Assert.Equal(allowed, await store.TryRecordEventAsync("c", Rules, TestContext.Current.CancellationToken));
                            if (allowed)
                            {
                                events.Add(now);
                            }

                            break;
                        case Step.Forget:
                            await store.ForgetEventAsync("c", TestContext.Current.CancellationToken);
                            if (events.Count > 0 && events[^1] > clock.GetUtcNow() - TimeSpan.FromHours(1))
                            {
                                events.RemoveAt(events.Count - 1);
                            }

                            break;
                        default:
                            clock.Advance(TimeSpan.FromMinutes(minutes));
                            break;
                    }
                }
            },
            seed: FuzzRuns.Seed,
            iter: FuzzRuns.Iterations(500),
            threads: 1);
    }

    [Fact]
    public async Task LeasesHeldByFlowKeysAndSecretsAreTheirHoldersOnly()
    {
        var store = new InMemoryFlowStore(new FakeTimeProvider(TestClock.DefaultStart));
        var flowKey = FlowSecrets.KeyOf(FlowSecrets.NewSecret());
        var secret = FlowSecrets.NewSecret();
        var ct = TestContext.Current.CancellationToken;

        Assert.True(await store.TryAcquireLeaseAsync("open", flowKey, TimeSpan.FromMinutes(5), ct));
        Assert.True(await store.TryAcquireLeaseAsync("gap", secret, TimeSpan.FromMinutes(1), ct));

        Assert.False(await store.TryAcquireLeaseAsync("open", flowKey.ToUpperInvariant(), TimeSpan.FromMinutes(5), ct));
        Assert.False(await store.TryAcquireLeaseAsync("gap", FlowSecrets.NewSecret(), TimeSpan.FromMinutes(1), ct));
        Assert.True(await store.TryAcquireLeaseAsync("open", new string(flowKey.ToCharArray()), TimeSpan.FromMinutes(5), ct));
        Assert.Equal((flowKey, secret), (await store.GetLeaseHolderAsync("open", ct), await store.GetLeaseHolderAsync("gap", ct)));
        await store.ReleaseLeaseAsync("gap", FlowSecrets.NewSecret(), ct);
        Assert.Equal(secret, await store.GetLeaseHolderAsync("gap", ct));
        await store.ReleaseLeaseAsync("gap", secret, ct);
        Assert.Null(await store.GetLeaseHolderAsync("gap", ct));
    }
}
