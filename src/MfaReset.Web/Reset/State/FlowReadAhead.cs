namespace MfaReset.Web.Reset.State;

/// <summary>
/// The flow of this request's cookie, read by the per-client limit in the same store round trip as its count
/// (<see cref="Storage.IFlowStore.TryRecordEventAndGetAsync"/>), and handed once to the request's first read of that
/// flow (<see cref="FlowSession"/>) instead of a second read. One per request (scoped). Only a read is saved: every
/// write is a compare-and-set on the version, which a state read earlier in the request loses like any older one.
/// </summary>
public sealed class FlowReadAhead
{
    private (string Key, FlowState? State)? _read;

    /// <summary>Keeps what the store held under <paramref name="key"/> (null: no flow) for this request's first read of it.</summary>
    public void Keep(string key, FlowState? state)
    {
        ArgumentNullException.ThrowIfNull(key);
        _read = (key, state);
    }

    /// <summary>The kept read of <paramref name="key"/>, once; false when there is none for that key (read the store).</summary>
    public bool TryTake(string key, out FlowState? state)
    {
        if (_read is { } read && string.Equals(read.Key, key, StringComparison.Ordinal))
        {
            _read = null;
            state = read.State;
            return true;
        }

        state = null;
        return false;
    }

    /// <summary>Forgets the kept read: after a write of this request it is not the flow any more.</summary>
    public void Forget() => _read = null;
}
