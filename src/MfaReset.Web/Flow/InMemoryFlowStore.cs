using System.Collections.Concurrent;

namespace MfaReset.Web.Flow;

/// <summary>
/// <see cref="IFlowStore"/> for a single instance. Compare-and-set relies on reference identity of the
/// stored entry, so a concurrent writer between read and write always makes the write fail.
/// Expired entries disappear on read and in a sweep every few hundred writes.
/// </summary>
public sealed class InMemoryFlowStore(TimeProvider timeProvider) : IFlowStore
{
    private const int SweepEvery = 256;

    private readonly ConcurrentDictionary<string, Entry> _flows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    private int _writes;

    public Task<bool> TryAddAsync(FlowState state, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        SweepNowAndThen();
        var entry = new Entry(state with { Version = 1 }, retainUntil);
        if (_flows.TryAdd(state.Key, entry))
        {
            return Task.FromResult(true);
        }

        // An expired entry under the same key may be replaced.
        return Task.FromResult(_flows.TryGetValue(state.Key, out var existing)
            && IsExpired(existing.RetainUntil)
            && _flows.TryUpdate(state.Key, entry, existing));
    }

    public Task<FlowState?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (!_flows.TryGetValue(key, out var entry))
        {
            return Task.FromResult<FlowState?>(null);
        }

        if (IsExpired(entry.RetainUntil))
        {
            _flows.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return Task.FromResult<FlowState?>(null);
        }

        return Task.FromResult<FlowState?>(entry.State);
    }

    public Task<FlowState?> TryReplaceAsync(FlowState current, FlowState replacement, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(replacement);
        SweepNowAndThen();
        if (!_flows.TryGetValue(current.Key, out var entry) || entry.State.Version != current.Version || IsExpired(entry.RetainUntil))
        {
            return Task.FromResult<FlowState?>(null);
        }

        var stored = replacement with { Version = current.Version + 1 };
        var newEntry = new Entry(stored, retainUntil);
        if (string.Equals(current.Key, replacement.Key, StringComparison.Ordinal))
        {
            return Task.FromResult(_flows.TryUpdate(current.Key, newEntry, entry) ? stored : null);
        }

        // Moving to a new key: claim the old entry first, so exactly one writer can move it.
        if (!_flows.TryRemove(new KeyValuePair<string, Entry>(current.Key, entry)))
        {
            return Task.FromResult<FlowState?>(null);
        }

        return Task.FromResult(_flows.TryAdd(replacement.Key, newEntry) ? stored : null);
    }

    public Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        _flows.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    public Task<bool> TryRecordEventAsync(string counterKey, IReadOnlyList<RateRule> rules, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        SweepNowAndThen();
        var now = timeProvider.GetUtcNow();
        var longest = rules.Count == 0 ? TimeSpan.Zero : rules.Max(r => r.Window);
        while (true)
        {
            var counter = _counters.GetOrAdd(counterKey, _ => new Counter());
            lock (counter)
            {
                if (counter.Removed)
                {
                    continue; // swept between lookup and lock: take the fresh one
                }

                return Task.FromResult(TryRecord(counter, rules, now, longest));
            }
        }
    }

    public Task<FlowCensus> CountAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        long live = 0, pushesWaiting = 0;
        foreach (var entry in _flows.Values)
        {
            var state = entry.State;
            if (FlowCensusRules.IsUnderWay(state, now))
            {
                live++;
                pushesWaiting += FlowCensusRules.IsWaitingOnPush(state, now) ? 1 : 0;
            }
        }

        return Task.FromResult(new FlowCensus(live, pushesWaiting));
    }

    public Task ClearAsync(CancellationToken cancellationToken)
    {
        _flows.Clear();
        _leases.Clear();
        foreach (var (key, counter) in _counters)
        {
            lock (counter)
            {
                counter.Removed = true;
                _counters.TryRemove(new KeyValuePair<string, Counter>(key, counter));
            }
        }

        return Task.CompletedTask;
    }

    public Task ForgetEventAsync(string counterKey, CancellationToken cancellationToken)
    {
        if (_counters.TryGetValue(counterKey, out var counter))
        {
            lock (counter)
            {
                if (counter.Events.Count > 0)
                {
                    counter.Events.RemoveAt(counter.Events.Count - 1);
                }
            }
        }

        return Task.CompletedTask;
    }

    // Called under the counter's lock.
    private static bool TryRecord(Counter counter, IReadOnlyList<RateRule> rules, DateTimeOffset now, TimeSpan longest)
    {
        counter.Events.RemoveAll(at => at <= now - longest);
        foreach (var rule in rules)
        {
            if (counter.Events.Count(at => at > now - rule.Window) >= rule.Limit)
            {
                return false;
            }
        }

        counter.Events.Add(now);
        counter.RetainUntil = now + longest;
        return true;
    }

    public Task<bool> TryAcquireLeaseAsync(string leaseKey, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        SweepNowAndThen();
        var wanted = new Lease(holder, timeProvider.GetUtcNow() + ttl);
        while (true)
        {
            if (_leases.TryAdd(leaseKey, wanted))
            {
                return Task.FromResult(true);
            }

            if (!_leases.TryGetValue(leaseKey, out var existing))
            {
                continue;
            }

            if (!IsExpired(existing.Until) && !string.Equals(existing.Holder, holder, StringComparison.Ordinal))
            {
                return Task.FromResult(false);
            }

            if (_leases.TryUpdate(leaseKey, wanted, existing))
            {
                return Task.FromResult(true);
            }
        }
    }

    public Task ReleaseLeaseAsync(string leaseKey, string holder, CancellationToken cancellationToken)
    {
        if (_leases.TryGetValue(leaseKey, out var existing) && string.Equals(existing.Holder, holder, StringComparison.Ordinal))
        {
            _leases.TryRemove(new KeyValuePair<string, Lease>(leaseKey, existing));
        }

        return Task.CompletedTask;
    }

    public Task SetLeaseAsync(string leaseKey, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        _leases[leaseKey] = new Lease(holder, timeProvider.GetUtcNow() + ttl);
        return Task.CompletedTask;
    }

    public Task<string?> GetLeaseHolderAsync(string leaseKey, CancellationToken cancellationToken) =>
        Task.FromResult(_leases.TryGetValue(leaseKey, out var lease) && !IsExpired(lease.Until) ? lease.Holder : null);

    private bool IsExpired(DateTimeOffset until) => until <= timeProvider.GetUtcNow();

    private void SweepNowAndThen()
    {
        if (Interlocked.Increment(ref _writes) % SweepEvery != 0)
        {
            return;
        }

        foreach (var (key, entry) in _flows.Where(p => IsExpired(p.Value.RetainUntil)))
        {
            _flows.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }

        foreach (var (key, lease) in _leases.Where(p => IsExpired(p.Value.Until)))
        {
            _leases.TryRemove(new KeyValuePair<string, Lease>(key, lease));
        }

        foreach (var (key, counter) in _counters)
        {
            lock (counter)
            {
                if (IsExpired(counter.RetainUntil))
                {
                    counter.Removed = true;
                    _counters.TryRemove(new KeyValuePair<string, Counter>(key, counter));
                }
            }
        }
    }

    // Classes, not records: compare-and-set must compare identity, not value.
    private sealed class Entry(FlowState state, DateTimeOffset retainUntil)
    {
        public FlowState State { get; } = state;

        public DateTimeOffset RetainUntil { get; } = retainUntil;
    }

    private sealed class Lease(string holder, DateTimeOffset until)
    {
        public string Holder { get; } = holder;

        public DateTimeOffset Until { get; } = until;
    }

    private sealed class Counter
    {
        public List<DateTimeOffset> Events { get; } = [];

        public DateTimeOffset RetainUntil { get; set; }

        public bool Removed { get; set; }
    }
}
