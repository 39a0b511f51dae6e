using System.Diagnostics.Metrics;
using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;
using MfaReset.Web.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MfaReset.Web.Tests.Storage;

/// <summary>The shared store behavior through <see cref="MeteredFlowStore"/>: counting changes nothing the store does.</summary>
public sealed class MeteredFlowStoreBehaviorTests : FlowStoreBehaviorTests
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    protected override Task<IFlowStore> CreateStoreAsync() =>
        Task.FromResult<IFlowStore>(new MeteredFlowStore(new InMemoryFlowStore(Clock), new PortalMetrics(_services.GetRequiredService<IMeterFactory>())));

    protected override async ValueTask DisposeStoreAsync() => await _services.DisposeAsync();
}

/// <summary><c>mfareset.flow_store.operations</c>: one measurement per call, tagged with the operation.</summary>
public sealed class MeteredFlowStoreTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MetricCollector<long> _operations;
    private readonly MeteredFlowStore _store;
    private readonly FakeTimeProvider _clock = new(TestClock.DefaultStart);

    public MeteredFlowStoreTests()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        _operations = new MetricCollector<long>(meters, PortalMetrics.MeterName, "mfareset.flow_store.operations");
        _store = new MeteredFlowStore(new InMemoryFlowStore(_clock), new PortalMetrics(meters));
    }

    public void Dispose()
    {
        _operations.Dispose();
        _services.Dispose();
    }

    private List<string> Recorded() =>
        _operations.GetMeasurementSnapshot().Select(m => $"{m.Tags["operation"]} {m.Value}").ToList();

    [Fact]
    public async Task EveryOperationIsCountedOnceUnderItsOwnName()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = _clock.GetUtcNow();
        var flow = new FlowState { Key = "k1", Stage = FlowStage.Identified, CreatedAt = now, ExpiresAt = now.AddMinutes(15), LastActivityAt = now, SubjectKey = "user:1", Factors = [] };
        RateRule[] rules = [new(5, TimeSpan.FromMinutes(1))];

        await _store.GetAsync("k1", ct);
        Assert.True(await _store.TryAddAsync(flow, now.AddMinutes(30), ct));
        var stored = (await _store.GetAsync("k1", ct))!;
        Assert.NotNull(await _store.TryReplaceAsync(stored, stored with { Stage = FlowStage.Challenged }, now.AddMinutes(30), ct));
        await _store.RemoveAsync("k1", ct);
        Assert.True(await _store.TryRecordEventAsync("c", rules, ct));
        await _store.ForgetEventAsync("c", ct);
        Assert.True(await _store.TryAcquireLeaseAsync("l", "a", TimeSpan.FromMinutes(1), ct));
        await _store.ReleaseLeaseAsync("l", "a", ct);
        await _store.SetLeaseAsync("l", "b", TimeSpan.FromMinutes(1), ct);
        Assert.Equal("b", await _store.GetLeaseHolderAsync("l", ct));
        await _store.CountAsync(now, ct);
        Assert.True(await _store.TryAddAsync(flow with { Key = "k2" }, now.AddMinutes(30), ct));
        var second = (await _store.TryRecordEventAndGetAsync("c", rules, "k2", ct)).Flow!;
        var writes = new StoreWrites { SetLeases = [new LeaseHold("t", "k2", TimeSpan.FromMinutes(1))] };
        Assert.NotNull(await _store.TryReplaceAsync(second, second with { Stage = FlowStage.Challenged }, now.AddMinutes(30), writes, ct));
        await _store.ApplyAsync(new StoreWrites { ForgetEvents = ["c"] }, ct);

        Assert.Equal(
            ["get 1", "add 1", "get 1", "replace 1", "remove 1", "record_event 1", "forget_event 1", "acquire_lease 1", "release_lease 1", "set_lease 1", "get_lease 1", "count 1",
                "add 1", "record_event_and_get 1", "replace_with_writes 1", "apply_writes 1"],
            Recorded());
    }

    [Fact]
    public async Task ACallTheStoreRefusesIsCountedAndItsAnswerPassedOn()
    {
        var now = _clock.GetUtcNow();
        var flow = new FlowState { Key = "k1", Stage = FlowStage.Identified, CreatedAt = now, ExpiresAt = now.AddMinutes(15), LastActivityAt = now, SubjectKey = "user:1", Factors = [] };
        Assert.True(await _store.TryAddAsync(flow, now.AddMinutes(30), TestContext.Current.CancellationToken));

        Assert.False(await _store.TryAddAsync(flow, now.AddMinutes(30), TestContext.Current.CancellationToken));

        Assert.Equal(["add 1", "add 1"], Recorded());
    }
}
