namespace MfaReset.LoadTest.Sandbox;

/// <summary>
/// Hands out each sandbox user at most once, so no two resets share a phone or a person's limits (resend
/// cooldowns, pushes per person, replayed TOTP codes): every reset in a measurement is a first attempt,
/// as on a Monday morning when each employee resets once. Thread-safe.
/// </summary>
internal sealed class UserPool
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ResetKind, Queue<string>> _byKind;
    private readonly HashSet<string> _taken = new(StringComparer.OrdinalIgnoreCase);

    public UserPool(IEnumerable<ProbeUser> users)
    {
        // Generated load users first: the demo users stay free for the kinds only they have.
        var ordered = users.OrderBy(u => u.IsDemoUser).ToList();
        _byKind = Enum.GetValues<ResetKind>().ToDictionary(
            kind => kind,
            kind => new Queue<string>(ordered.Where(u => u.Kinds.Contains(kind)).Select(u => u.Login)));
    }

    /// <summary>How many users could still reset with <paramref name="kind"/>.</summary>
    public int Available(ResetKind kind)
    {
        lock (_gate)
        {
            return _byKind[kind].Count(login => !_taken.Contains(login));
        }
    }

    /// <summary>Takes a user who has <paramref name="kind"/> and was not handed out before; false when none is left.</summary>
    public bool TryTake(ResetKind kind, out string login)
    {
        lock (_gate)
        {
            var queue = _byKind[kind];
            while (queue.TryDequeue(out var candidate))
            {
                if (_taken.Add(candidate))
                {
                    login = candidate;
                    return true;
                }
            }
        }

        login = string.Empty;
        return false;
    }
}
