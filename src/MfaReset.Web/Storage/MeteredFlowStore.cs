using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Storage;

/// <summary>The flow store's operations, as <c>mfareset.flow_store.operations</c> tags them.</summary>
public enum FlowStoreOperation
{
    Get,
    Add,
    Replace,
    ReplaceWithWrites,
    ApplyWrites,
    RecordEventAndGet,
    Remove,
    RecordEvent,
    RecordEvents,
    RecordEventsWithWrites,
    ForgetEvent,
    ForgetEvents,
    AcquireLease,
    ReleaseLease,
    SetLease,
    GetLease,
    Count,
}

/// <summary>
/// Counts every call on the flow store it wraps on <c>mfareset.flow_store.operations</c>, tagged with the
/// <c>operation</c> (<see cref="PortalMetrics.FlowStoreCalled"/>): what a request costs the store (a poll between intervals should read, never write).
/// </summary>
public sealed class MeteredFlowStore : IFlowStore
{
    private readonly IFlowStore _inner;
    private readonly PortalMetrics _metrics;

    public MeteredFlowStore(IFlowStore inner, PortalMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(metrics);
        _inner = inner;
        _metrics = metrics;
    }

    /// <summary>The store that does the work.</summary>
    public IFlowStore Inner => _inner;

    public Task<bool> TryAddAsync(FlowState state, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.Add);
        return _inner.TryAddAsync(state, retainUntil, cancellationToken);
    }

    public Task<FlowState?> GetAsync(string key, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.Get);
        return _inner.GetAsync(key, cancellationToken);
    }

    public Task<FlowState?> TryReplaceAsync(FlowState current, FlowState replacement, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.Replace);
        return _inner.TryReplaceAsync(current, replacement, retainUntil, cancellationToken);
    }

    public Task<FlowState?> TryReplaceAsync(FlowState current, FlowState replacement, DateTimeOffset retainUntil, StoreWrites alongside, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.ReplaceWithWrites);
        return _inner.TryReplaceAsync(current, replacement, retainUntil, alongside, cancellationToken);
    }

    public Task<bool> ApplyAsync(StoreWrites writes, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.ApplyWrites);
        return _inner.ApplyAsync(writes, cancellationToken);
    }

    public Task<(bool Recorded, FlowState? Flow)> TryRecordEventAndGetAsync(string counterKey, IReadOnlyList<RateRule> rules, string flowKey, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.RecordEventAndGet);
        return _inner.TryRecordEventAndGetAsync(counterKey, rules, flowKey, cancellationToken);
    }

    public Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.Remove);
        return _inner.RemoveAsync(key, cancellationToken);
    }

    public Task<bool> TryRecordEventAsync(string counterKey, IReadOnlyList<RateRule> rules, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.RecordEvent);
        return _inner.TryRecordEventAsync(counterKey, rules, cancellationToken);
    }

    public Task<int?> TryRecordEventsAsync(IReadOnlyList<CountedEvent> events, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.RecordEvents);
        return _inner.TryRecordEventsAsync(events, cancellationToken);
    }

    public Task<int?> TryRecordEventsAsync(IReadOnlyList<CountedEvent> events, StoreWrites onRecorded, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.RecordEventsWithWrites);
        return _inner.TryRecordEventsAsync(events, onRecorded, cancellationToken);
    }

    public Task ForgetEventAsync(string counterKey, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.ForgetEvent);
        return _inner.ForgetEventAsync(counterKey, cancellationToken);
    }

    public Task ForgetEventsAsync(IReadOnlyList<string> counterKeys, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.ForgetEvents);
        return _inner.ForgetEventsAsync(counterKeys, cancellationToken);
    }

    public Task<FlowCensus> CountAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.Count);
        return _inner.CountAsync(now, cancellationToken);
    }

    public Task<bool> TryAcquireLeaseAsync(string leaseKey, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.AcquireLease);
        return _inner.TryAcquireLeaseAsync(leaseKey, holder, ttl, cancellationToken);
    }

    public Task ReleaseLeaseAsync(string leaseKey, string holder, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.ReleaseLease);
        return _inner.ReleaseLeaseAsync(leaseKey, holder, cancellationToken);
    }

    public Task SetLeaseAsync(string leaseKey, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.SetLease);
        return _inner.SetLeaseAsync(leaseKey, holder, ttl, cancellationToken);
    }

    public Task<string?> GetLeaseHolderAsync(string leaseKey, CancellationToken cancellationToken)
    {
        Count(FlowStoreOperation.GetLease);
        return _inner.GetLeaseHolderAsync(leaseKey, cancellationToken);
    }

    private void Count(FlowStoreOperation operation) => _metrics.FlowStoreCalled(operation);
}
