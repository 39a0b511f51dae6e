namespace MfaReset.Web.Storage;

/// <summary>
/// Lease and counter writes a step makes together, applied by the store as one atomic step (one round trip to a
/// shared store): on their own (<see cref="IFlowStore.ApplyAsync"/>), or only if a flow's compare-and-set wins
/// (<see cref="IFlowStore.TryReplaceAsync(Reset.State.FlowState, Reset.State.FlowState, DateTimeOffset, StoreWrites, CancellationToken)"/>).
/// Each lease and each counter is named once: two writes of one key in one step would have no order.
/// </summary>
public sealed record StoreWrites
{
    /// <summary>No write.</summary>
    public static StoreWrites None { get; } = new();

    /// <summary>Leases set to a holder, whoever held them (<see cref="IFlowStore.SetLeaseAsync"/>).</summary>
    public IReadOnlyList<LeaseHold> SetLeases { get; init; } = [];

    /// <summary>Leases given back (<see cref="IFlowStore.ReleaseLeaseAsync"/>).</summary>
    public IReadOnlyList<LeaseRelease> ReleaseLeases { get; init; } = [];

    /// <summary>Counters whose newest event is given back (<see cref="IFlowStore.ForgetEventsAsync"/>).</summary>
    public IReadOnlyList<string> ForgetEvents { get; init; } = [];

    /// <summary>
    /// Leases as the step requires them (held by a holder, or by nobody). When one is not, nothing of the step is
    /// written, the flow's compare-and-set included, and the store answers as for a lost compare-and-set: the caller
    /// tells the two apart by reading again. Checked in the step's own statement, against what is committed then.
    /// </summary>
    public IReadOnlyList<LeaseCondition> Requires { get; init; } = [];

    public bool IsEmpty => SetLeases.Count == 0 && ReleaseLeases.Count == 0 && ForgetEvents.Count == 0 && Requires.Count == 0;

    /// <summary>These writes and <paramref name="other"/>'s, in one step.</summary>
    public StoreWrites And(StoreWrites other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.IsEmpty ? this : IsEmpty ? other : new StoreWrites
        {
            SetLeases = [.. SetLeases, .. other.SetLeases],
            ReleaseLeases = [.. ReleaseLeases, .. other.ReleaseLeases],
            ForgetEvents = [.. ForgetEvents, .. other.ForgetEvents],
            Requires = [.. Requires, .. other.Requires],
        };
    }

    /// <summary>Throws unless every lease and every counter is named once and no key is null.</summary>
    public void ThrowIfInvalid(string parameterName)
    {
        var leaseKeys = SetLeases.Select(l => l?.Key).Concat(ReleaseLeases.Select(l => l?.Key)).ToList();
        if (leaseKeys.Any(key => key is null) || SetLeases.Any(l => l.Holder is null || l.For <= TimeSpan.Zero))
        {
            throw new ArgumentException("Every lease needs a key, and every lease set a holder and a positive time.", parameterName);
        }

        if (leaseKeys.Distinct(StringComparer.Ordinal).Count() != leaseKeys.Count)
        {
            throw new ArgumentException("Each lease may be named once.", parameterName);
        }

        if (ForgetEvents.Count > 0)
        {
            CounterKeyList.ThrowIfInvalid(ForgetEvents, parameterName);
        }

        if (Requires.Any(r => r?.Key is null))
        {
            throw new ArgumentException("Every required lease needs a key.", parameterName);
        }
    }
}

/// <summary><paramref name="Key"/> held by <paramref name="Holder"/> for <paramref name="For"/>.</summary>
public sealed record LeaseHold(string Key, string Holder, TimeSpan For);

/// <summary><paramref name="Key"/> given back if <paramref name="Holder"/> holds it, or whoever holds it when <paramref name="Holder"/> is null.</summary>
public sealed record LeaseRelease(string Key, string? Holder);

/// <summary><paramref name="Key"/> held by <paramref name="Holder"/>, or by nobody when <paramref name="Holder"/> is null.</summary>
public sealed record LeaseCondition(string Key, string? Holder);
