using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Storage.InMemory;

/// <summary>
/// <see cref="IFlowStore"/> for a single instance. Compare-and-set relies on the identity of the stored
/// entry (a <see cref="CompactFlow"/>, equal only to itself: every write makes new bytes), so a concurrent
/// writer between read and write always makes the write fail.
/// Expired entries disappear on read and in a sweep every few hundred writes.
/// </summary>
/// <remarks>
/// Sized for a mass-reset day (a hundred thousand flows waiting at once): a flow is kept as compact bytes
/// (<see cref="CompactFlow"/>) and built anew on each read; flows, counters and leases are
/// keyed by a 128-bit hash of their key instead of the key's text (a flow found under the hash is still
/// checked to hold the key asked for), a counter is a value held in its dictionary entry and replaced by
/// compare-and-set (an array of older events only from its second event on; no object, list or lock per
/// counter), a lease is a value held in its dictionary entry with its holder packed (<see cref="PackedSecret"/>), and times are kept as UTC ticks.
/// A push's poll link is kept as its transaction id when it is Okta's documented link under <paramref name="oktaOrgUrl"/>, whole otherwise.
/// </remarks>
public sealed partial class InMemoryFlowStore(TimeProvider timeProvider, Uri? oktaOrgUrl = null) : IFlowStore
{
    private const int SweepEvery = 256;

    private readonly ConcurrentDictionary<StoreKey, CompactFlow> _flows = new();
    private readonly MenuPacking _menus = new();

    private readonly ConcurrentDictionary<StoreKey, Counter> _counters = new();
    private readonly ConcurrentDictionary<StoreKey, Lease> _leases = new();

    // Every counter write holds it, so a step's several counters are checked and recorded all or nothing
    // (TryRecordEventsAsync). Held for microseconds (no I/O, no await): one lock for all counters costs nothing
    // at a reset's rate, and no lock object per counter. The sweep removes expired counters without it, by compare-and-set.
    private readonly Lock _counterWrites = new();
    private int _writes;

    public Task<bool> TryAddAsync(FlowState state, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        SweepNowAndThen();
        var entry = CompactFlow.Of(state with { Version = 1 }, retainUntil.UtcTicks, _menus, oktaOrgUrl);
        var key = StoreKey.Of(state.Key);
        if (_flows.TryAdd(key, entry))
        {
            return Task.FromResult(true);
        }

        // An expired entry under the same key may be replaced.
        return Task.FromResult(_flows.TryGetValue(key, out var existing)
            && IsExpired(existing.RetainUntil)
            && _flows.TryUpdate(key, entry, existing));
    }

    public Task<FlowState?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var storeKey = StoreKey.Of(key);
        if (!_flows.TryGetValue(storeKey, out var entry) || !entry.Key.Equals(PackedSecret.Of(key)))
        {
            return Task.FromResult<FlowState?>(null);
        }

        if (IsExpired(entry.RetainUntil))
        {
            _flows.TryRemove(new KeyValuePair<StoreKey, CompactFlow>(storeKey, entry));
            return Task.FromResult<FlowState?>(null);
        }

        return Task.FromResult<FlowState?>(entry.ToState(oktaOrgUrl));
    }

    public Task<FlowState?> TryReplaceAsync(FlowState current, FlowState replacement, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(replacement);
        SweepNowAndThen();
        var key = StoreKey.Of(current.Key);
        if (!_flows.TryGetValue(key, out var entry) || !entry.Key.Equals(PackedSecret.Of(current.Key)) || entry.Version != current.Version || IsExpired(entry.RetainUntil))
        {
            return Task.FromResult<FlowState?>(null);
        }

        var stored = replacement with { Version = current.Version + 1 };
        var newEntry = CompactFlow.Of(stored, retainUntil.UtcTicks, _menus, oktaOrgUrl);
        if (string.Equals(current.Key, replacement.Key, StringComparison.Ordinal))
        {
            return Task.FromResult(_flows.TryUpdate(key, newEntry, entry) ? stored : null);
        }

        // Moving to a new key: claim the old entry first, so exactly one writer can move it.
        if (!_flows.TryRemove(new KeyValuePair<StoreKey, CompactFlow>(key, entry)))
        {
            return Task.FromResult<FlowState?>(null);
        }

        return Task.FromResult(_flows.TryAdd(StoreKey.Of(replacement.Key), newEntry) ? stored : null);
    }

    public async Task<FlowState?> TryReplaceAsync(FlowState current, FlowState replacement, DateTimeOffset retainUntil, StoreWrites alongside, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alongside);
        alongside.ThrowIfInvalid(nameof(alongside));
        if (!LeasesAsRequired(alongside))
        {
            return null;
        }

        var stored = await TryReplaceAsync(current, replacement, retainUntil, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            Apply(alongside);
        }

        return stored;
    }

    public Task<bool> ApplyAsync(StoreWrites writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        writes.ThrowIfInvalid(nameof(writes));
        if (!LeasesAsRequired(writes))
        {
            return Task.FromResult(false);
        }

        Apply(writes);
        return Task.FromResult(true);
    }

    // Checked just before the step's writes: in this process, a lease taken in between is as if taken just after.
    private bool LeasesAsRequired(StoreWrites writes) => writes.Requires.All(required =>
        _leases.TryGetValue(StoreKey.Of(required.Key), out var lease) && !IsExpired(lease.Until)
            ? required.Holder is not null && lease.Holder.Equals(PackedSecret.Of(required.Holder))
            : required.Holder is null);

    // In this process nothing fails between the writes, and each is atomic on its own: readers may see some before others, as between two calls.
    private void Apply(StoreWrites writes)
    {
        if (writes.ForgetEvents.Count > 0)
        {
            Forget(writes.ForgetEvents);
        }

        foreach (var lease in writes.SetLeases)
        {
            SetLease(lease.Key, lease.Holder, lease.For);
        }

        foreach (var lease in writes.ReleaseLeases)
        {
            ReleaseLease(lease.Key, lease.Holder);
        }
    }

    public async Task<(bool Recorded, FlowState? Flow)> TryRecordEventAndGetAsync(string counterKey, IReadOnlyList<RateRule> rules, string flowKey, CancellationToken cancellationToken)
    {
        var recorded = TryRecord([new CountedEvent(counterKey, rules)]) is null;
        return (recorded, await GetAsync(flowKey, cancellationToken).ConfigureAwait(false));
    }

    public Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var storeKey = StoreKey.Of(key);
        if (_flows.TryGetValue(storeKey, out var entry) && entry.Key.Equals(PackedSecret.Of(key)))
        {
            _flows.TryRemove(new KeyValuePair<StoreKey, CompactFlow>(storeKey, entry));
        }

        return Task.CompletedTask;
    }

    public Task<bool> TryRecordEventAsync(string counterKey, IReadOnlyList<RateRule> rules, CancellationToken cancellationToken) =>
        Task.FromResult(TryRecord([new CountedEvent(counterKey, rules)]) is null);

    public Task<int?> TryRecordEventsAsync(IReadOnlyList<CountedEvent> events, CancellationToken cancellationToken) =>
        Task.FromResult(TryRecord(events));

    public Task<int?> TryRecordEventsAsync(IReadOnlyList<CountedEvent> events, StoreWrites onRecorded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onRecorded);
        onRecorded.ThrowIfInvalid(nameof(onRecorded));
        if (onRecorded.Requires.Count > 0)
        {
            throw new ArgumentException("Counters are recorded whatever leases are held: a step's required leases go with its flow's write.", nameof(onRecorded));
        }

        var refused = TryRecord(events);
        if (refused is null)
        {
            Apply(onRecorded);
        }

        return Task.FromResult(refused);
    }

    // All or nothing under the counters' lock: every counter is checked before any is written.
    private int? TryRecord(IReadOnlyList<CountedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        CounterKeyList.ThrowIfInvalid(events.Select(e => e.CounterKey).ToList(), nameof(events));
        SweepNowAndThen();
        var keys = events.Select(e => StoreKey.Of(e.CounterKey)).ToArray();
        var now = timeProvider.GetUtcNow().UtcTicks;
        lock (_counterWrites)
        {
            for (var i = 0; i < events.Count; i++)
            {
                if (Recorded(_counters.GetValueOrDefault(keys[i], Counter.Empty), events[i].Rules, now) is null)
                {
                    return i;
                }
            }

            for (var i = 0; i < events.Count; i++)
            {
                // Outside the lock only the sweep changes a counter, by removing an expired one: the event still fits.
                while (!TryWrite(keys[i], counter => Recorded(counter, events[i].Rules, now) ?? throw new InvalidOperationException("A counter filled up while its writers' lock was held.")))
                {
                }
            }
        }

        return null;
    }

    // One compare-and-set of a counter with the value made from the current one (or the empty counter); false when the counter changed meanwhile.
    private bool TryWrite(StoreKey key, Func<Counter, Counter> change) =>
        _counters.TryGetValue(key, out var current)
            ? _counters.TryUpdate(key, change(current), current)
            : _counters.TryAdd(key, change(Counter.Empty));

    public Task<FlowCensus> CountAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        long live = 0, pushesWaiting = 0;
        foreach (var entry in _flows.Values)
        {
            var (stage, expiresAt, pushStatus, pushExpiresAt) = entry.CensusFields();
            if (FlowCensusRules.IsUnderWay(stage, expiresAt, now))
            {
                live++;
                pushesWaiting += FlowCensusRules.IsWaitingOnPush(stage, expiresAt, pushStatus, pushExpiresAt, now) ? 1 : 0;
            }
        }

        return Task.FromResult(new FlowCensus(live, pushesWaiting));
    }

    /// <summary>
    /// Forgets every flow, counter and lease of this process: the demo's "Reset everything" (<see cref="Infrastructure.DemoHolds"/>).
    /// Deliberately not on <see cref="IFlowStore"/>: a shared store holds every instance's limits and is never wiped.
    /// </summary>
    public void Clear()
    {
        _flows.Clear();
        _leases.Clear();
        _counters.Clear();
    }

    public Task ForgetEventAsync(string counterKey, CancellationToken cancellationToken) =>
        ForgetEventsAsync([counterKey], cancellationToken);

    public Task ForgetEventsAsync(IReadOnlyList<string> counterKeys, CancellationToken cancellationToken)
    {
        CounterKeyList.ThrowIfInvalid(counterKeys, nameof(counterKeys));
        Forget(counterKeys);
        return Task.CompletedTask;
    }

    private void Forget(IReadOnlyList<string> counterKeys)
    {
        lock (_counterWrites)
        {
            foreach (var key in counterKeys.Select(StoreKey.Of))
            {
                while (_counters.TryGetValue(key, out var current) && current.Count > 0 && !_counters.TryUpdate(key, current.WithoutNewest(), current))
                {
                }
            }
        }
    }

    // The counter with one more event, or null when a rule is already full. Events past the longest window are dropped.
    private static Counter? Recorded(Counter counter, IReadOnlyList<RateRule> rules, long now)
    {
        var longest = rules.Count == 0 ? 0 : rules.Max(r => r.Window.Ticks);
        ReadOnlySpan<long> events = counter.Events();
        var kept = events[CountAtOrBefore(events, now - longest)..];
        foreach (var rule in rules)
        {
            if (kept.Length - CountAtOrBefore(kept, now - rule.Window.Ticks) >= rule.Limit)
            {
                return null;
            }
        }

        return new Counter(now + longest, now, kept.Length == 0 ? null : kept.ToArray());
    }

    private static int CountAtOrBefore(ReadOnlySpan<long> events, long at)
    {
        var count = 0;
        foreach (var e in events)
        {
            count += e <= at ? 1 : 0;
        }

        return count;
    }

    public Task<bool> TryAcquireLeaseAsync(string leaseKey, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        SweepNowAndThen();
        var key = StoreKey.Of(leaseKey);
        var wanted = new Lease(PackedSecret.Of(holder), (timeProvider.GetUtcNow() + ttl).UtcTicks);
        while (true)
        {
            if (_leases.TryAdd(key, wanted))
            {
                return Task.FromResult(true);
            }

            if (!_leases.TryGetValue(key, out var existing))
            {
                continue;
            }

            if (!IsExpired(existing.Until) && !existing.Holder.Equals(wanted.Holder))
            {
                return Task.FromResult(false);
            }

            if (_leases.TryUpdate(key, wanted, existing))
            {
                return Task.FromResult(true);
            }
        }
    }

    public Task ReleaseLeaseAsync(string leaseKey, string holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        ReleaseLease(leaseKey, holder);
        return Task.CompletedTask;
    }

    // A null holder releases the lease whoever holds it.
    private void ReleaseLease(string leaseKey, string? holder)
    {
        var key = StoreKey.Of(leaseKey);
        if (_leases.TryGetValue(key, out var existing) && (holder is null || existing.Holder.Equals(PackedSecret.Of(holder))))
        {
            _leases.TryRemove(new KeyValuePair<StoreKey, Lease>(key, existing));
        }
    }

    public Task SetLeaseAsync(string leaseKey, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        SetLease(leaseKey, holder, ttl);
        return Task.CompletedTask;
    }

    private void SetLease(string leaseKey, string holder, TimeSpan ttl) =>
        _leases[StoreKey.Of(leaseKey)] = new Lease(PackedSecret.Of(holder), (timeProvider.GetUtcNow() + ttl).UtcTicks);

    public Task<string?> GetLeaseHolderAsync(string leaseKey, CancellationToken cancellationToken) =>
        Task.FromResult(_leases.TryGetValue(StoreKey.Of(leaseKey), out var lease) && !IsExpired(lease.Until) ? lease.Holder.Text : null);

    private bool IsExpired(long untilUtcTicks) => untilUtcTicks <= timeProvider.GetUtcNow().UtcTicks;

    private void SweepNowAndThen()
    {
        if (Interlocked.Increment(ref _writes) % SweepEvery != 0)
        {
            return;
        }

        foreach (var (key, entry) in _flows.Where(p => IsExpired(p.Value.RetainUntil)))
        {
            _flows.TryRemove(new KeyValuePair<StoreKey, CompactFlow>(key, entry));
        }

        foreach (var (key, lease) in _leases.Where(p => IsExpired(p.Value.Until)))
        {
            _leases.TryRemove(new KeyValuePair<StoreKey, Lease>(key, lease));
        }

        // Removed only if unchanged since read: an event recorded meanwhile keeps its counter.
        foreach (var (key, counter) in _counters.Where(p => IsExpired(p.Value.KeepUntil)))
        {
            _counters.TryRemove(new KeyValuePair<StoreKey, Counter>(key, counter));
        }
    }

    /// <summary>
    /// A flow's, counter's or lease's key as the first 128 bits of its SHA-256: fixed size, whatever the key's
    /// text. Cryptographic, because keys hold what visitors type (usernames, addresses): nobody can make
    /// two keys share a counter or a lease.
    /// </summary>
    private readonly record struct StoreKey(ulong High, ulong Low)
    {
        public static StoreKey Of(string key)
        {
            ArgumentNullException.ThrowIfNull(key);
            var length = Encoding.UTF8.GetMaxByteCount(key.Length);
            var buffer = length <= 512 ? stackalloc byte[length] : new byte[length];
            var text = buffer[..Encoding.UTF8.GetBytes(key, buffer)];
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(text, hash);
            return new StoreKey(BitConverter.ToUInt64(hash), BitConverter.ToUInt64(hash[8..]));
        }
    }

    /// <summary>
    /// A counter, held in its dictionary entry: until when it is kept, its newest event and the older ones
    /// (UTC ticks, oldest first; null when there are none), so a counter of one event is no object at all.
    /// Compare-and-set compares the value, which is the whole counter (a new array for every change).
    /// </summary>
    private readonly record struct Counter(long KeepUntil, long Newest, long[]? Older)
    {
        private const long NoEvent = long.MinValue;

        public static Counter Empty { get; } = new(0, NoEvent, null);

        public int Count => Newest == NoEvent ? 0 : (Older?.Length ?? 0) + 1;

        /// <summary>The events, oldest first.</summary>
        public long[] Events() => Newest == NoEvent ? [] : Older is null ? [Newest] : [.. Older, Newest];

        /// <summary>The counter less its newest event, kept as long.</summary>
        public Counter WithoutNewest() => Older is null
            ? this with { Newest = NoEvent }
            : new Counter(KeepUntil, Older[^1], Older.Length == 1 ? null : Older[..^1]);
    }

    // A value held in the dictionary's entry: compare-and-set compares holder and time, which is all a lease is.
    private readonly record struct Lease(PackedSecret Holder, long Until);
}
