using System.Collections.Concurrent;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Api;

/// <summary>Counts API calls per operation and per user without a global lock.</summary>
internal sealed class CallCounter
{
    private static readonly string[] Operations =
    [
        OktaOperations.GetUser, OktaOperations.UpdateUser, OktaOperations.ListFactors, OktaOperations.GetFactor,
        OktaOperations.VerifyFactor, OktaOperations.GetFactorTransactionStatus, OktaOperations.UnlockUser,
        OktaOperations.RevokeUserSessions, OktaOperations.ListAssignedRolesForUser, OktaOperations.CancelFactorTransaction,
        OktaOperations.ListUserGroups, OktaOperations.ListPolicies, OktaOperations.ListPolicyRules, OktaOperations.ListNetworkZones,
        OktaOperations.ListUsersWithRoleAssignments, OktaOperations.ListGroups, OktaOperations.ListGroupAssignedRoles, OktaOperations.ListGroupUsers,
        OktaOperations.Unknown,
    ];

    private Counters _total = new();
    private ConcurrentDictionary<string, Counters> _byLogin = new(StringComparer.OrdinalIgnoreCase);

    public void Count(string operation, string? login)
    {
        var index = Array.IndexOf(Operations, operation);
        Volatile.Read(ref _total).Increment(index);
        if (login is not null)
        {
            Volatile.Read(ref _byLogin).GetOrAdd(login, static _ => new Counters()).Increment(index);
        }
    }

    public CallCounts Snapshot()
    {
        var total = Volatile.Read(ref _total).ToDictionary();
        return new CallCounts(
            total.Values.Sum(),
            total,
            Volatile.Read(ref _byLogin).ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, long>)p.Value.ToDictionary(), StringComparer.OrdinalIgnoreCase));
    }

    public void Reset()
    {
        Volatile.Write(ref _total, new Counters());
        Volatile.Write(ref _byLogin, new ConcurrentDictionary<string, Counters>(StringComparer.OrdinalIgnoreCase));
    }

    private sealed class Counters
    {
        private readonly long[] _counts = new long[Operations.Length];

        public void Increment(int index) => Interlocked.Increment(ref _counts[index]);

        public Dictionary<string, long> ToDictionary() =>
            Operations.Select((operation, i) => (operation, count: Interlocked.Read(ref _counts[i])))
                .Where(p => p.count > 0)
                .ToDictionary(p => p.operation, p => p.count, StringComparer.Ordinal);
    }
}
