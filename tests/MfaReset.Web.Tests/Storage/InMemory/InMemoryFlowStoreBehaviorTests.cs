using MfaReset.Web.Storage;
using MfaReset.Web.Storage.InMemory;


namespace MfaReset.Web.Tests.Storage.InMemory;

/// <summary>The shared store behavior against <see cref="InMemoryFlowStore"/>, and the demo's clearing, which only it has.</summary>
public sealed class InMemoryFlowStoreBehaviorTests : FlowStoreBehaviorTests
{
    protected override Task<IFlowStore> CreateStoreAsync() => Task.FromResult<IFlowStore>(new InMemoryFlowStore(Clock));

    [Fact]
    public async Task ClearingForgetsFlowsCountersAndLeases()
    {
        RateRule[] rules = [new(1, TimeSpan.FromMinutes(10))];
        var flow = NewFlow("clear-me");
        Assert.True(await Store.TryAddAsync(flow, In(30), Ct));
        Assert.True(await Store.TryRecordEventAsync("c", rules, Ct));
        Assert.True(await Store.TryAcquireLeaseAsync("l", "a", TimeSpan.FromMinutes(1), Ct));

        ((InMemoryFlowStore)Store).Clear();

        Assert.Null(await Store.GetAsync(flow.Key, Ct));
        Assert.True(await Store.TryRecordEventAsync("c", rules, Ct));
        Assert.Null(await Store.GetLeaseHolderAsync("l", Ct));
    }

    [Fact]
    public void TheProductionStoreInterfaceHasNoOperationThatForgetsEveryonesHolds()
    {
        // A shared (PostgreSQL) store holds every instance's limits, pauses and used codes: the demo's
        // reset must not be able to reach it through the interface every store implements.
        var members = typeof(IFlowStore).GetMethods().Select(m => m.Name);

        Assert.DoesNotContain(members, name => name.Contains("Clear", StringComparison.Ordinal) || name.Contains("Truncate", StringComparison.Ordinal));
    }
}
