using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Storage;

/// <summary>
/// Short-lived, shared state for reset flows and per-person limits. Every write is atomic and every
/// entry expires. Shaped so a PostgreSQL store maps each member onto one statement:
/// <see cref="TryReplaceAsync"/> is <c>UPDATE flows SET ..., version = version + 1 WHERE key = @key
/// AND version = @version RETURNING *</c>, and the single-use token is such a conditional update.
/// </summary>
public interface IFlowStore
{
    /// <summary>Adds a new flow, kept until <paramref name="retainUntil"/>. False when the key exists.</summary>
    Task<bool> TryAddAsync(FlowState state, DateTimeOffset retainUntil, CancellationToken cancellationToken);

    /// <summary>The flow, or null when it does not exist or its retention ended.</summary>
    Task<FlowState?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces <paramref name="current"/> with <paramref name="replacement"/> (whose <see cref="FlowState.Key"/>
    /// may differ: the flow is then moved to the new key and the old one stops existing) only when the
    /// stored version still equals <c>current.Version</c>. Returns the stored state with its new
    /// version, or null when another writer came first.
    /// </summary>
    Task<FlowState?> TryReplaceAsync(FlowState current, FlowState replacement, DateTimeOffset retainUntil, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="TryReplaceAsync(FlowState, FlowState, DateTimeOffset, CancellationToken)"/>, and when the replacement wins,
    /// <paramref name="alongside"/> in the same atomic step (one round trip to a shared store); when it loses, none of them.
    /// </summary>
    Task<FlowState?> TryReplaceAsync(FlowState current, FlowState replacement, DateTimeOffset retainUntil, StoreWrites alongside, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="writes"/> as one atomic step (one round trip to a shared store). False when a lease they
    /// require (<see cref="StoreWrites.Requires"/>) was not as required: then nothing was written.
    /// </summary>
    Task<bool> ApplyAsync(StoreWrites writes, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="TryRecordEventAsync"/> and <see cref="GetAsync"/> of <paramref name="flowKey"/> in one step (one round trip
    /// to a shared store), for a request that passes a per-client limit and then reads its flow. The flow is read
    /// whether or not the event was recorded.
    /// </summary>
    Task<(bool Recorded, FlowState? Flow)> TryRecordEventAndGetAsync(string counterKey, IReadOnlyList<RateRule> rules, string flowKey, CancellationToken cancellationToken);

    /// <summary>Removes a flow.</summary>
    Task RemoveAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Records one event under <paramref name="counterKey"/> if, counting it, no rule would be exceeded
    /// (each rule: at most Limit events within the last Window). Check and record are one atomic step.
    /// </summary>
    Task<bool> TryRecordEventAsync(string counterKey, IReadOnlyList<RateRule> rules, CancellationToken cancellationToken);

    /// <summary>
    /// Records one event under each counter of <paramref name="events"/> only if none of them would exceed a rule:
    /// all or nothing, as one atomic step (one round trip to a shared store). Returns null when every event was
    /// recorded, or the index of the first counter that refused, in which case none was recorded, so a step
    /// refused by a later limit spends nothing of an earlier one. Counter keys must be distinct.
    /// </summary>
    Task<int?> TryRecordEventsAsync(IReadOnlyList<CountedEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="TryRecordEventsAsync(IReadOnlyList{CountedEvent}, CancellationToken)"/>, and when every event was recorded,
    /// <paramref name="onRecorded"/> in the same atomic step (one round trip to a shared store); when one was refused, none of them.
    /// </summary>
    Task<int?> TryRecordEventsAsync(IReadOnlyList<CountedEvent> events, StoreWrites onRecorded, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back one event recorded under <paramref name="counterKey"/> (the newest): a reserved event
    /// that turned out not to count, such as a code check that succeeded. Nothing happens when there is none.
    /// </summary>
    Task ForgetEventAsync(string counterKey, CancellationToken cancellationToken);

    /// <summary><see cref="ForgetEventAsync"/> for each of <paramref name="counterKeys"/> (distinct), in one step.</summary>
    Task ForgetEventsAsync(IReadOnlyList<string> counterKeys, CancellationToken cancellationToken);

    /// <summary>
    /// How many flows are under way (not ended, not past their lifetime) and how many of them wait on a
    /// push, at <paramref name="now"/>: for metrics, sampled now and then, never per request.
    /// </summary>
    Task<FlowCensus> CountAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Takes <paramref name="leaseKey"/> for <paramref name="holder"/> until <paramref name="ttl"/> passes; false while someone else holds it.</summary>
    Task<bool> TryAcquireLeaseAsync(string leaseKey, string holder, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Gives a lease back if <paramref name="holder"/> still holds it.</summary>
    Task ReleaseLeaseAsync(string leaseKey, string holder, CancellationToken cancellationToken);

    /// <summary>Sets <paramref name="leaseKey"/> to <paramref name="holder"/> whoever held it.</summary>
    Task SetLeaseAsync(string leaseKey, string holder, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Who holds <paramref name="leaseKey"/>, or null.</summary>
    Task<string?> GetLeaseHolderAsync(string leaseKey, CancellationToken cancellationToken);
}

/// <summary>Flows under way and, of those, flows waiting on a push that has not expired.</summary>
public sealed record FlowCensus(long Live, long PushesWaiting);

/// <summary>One event to record under <paramref name="CounterKey"/> if, counting it, none of <paramref name="Rules"/> is exceeded.</summary>
public sealed record CountedEvent(string CounterKey, IReadOnlyList<RateRule> Rules);

/// <summary>At most <paramref name="Limit"/> events within <paramref name="Window"/>.</summary>
public readonly record struct RateRule(int Limit, TimeSpan Window);
