using MfaReset.Okta;

namespace MfaReset.Web.Tests.Support;

/// <summary>An Okta quota reading the test sets directly.</summary>
public sealed class FakeQuotaMonitor : IOktaQuotaMonitor
{
    public bool IsLow { get; set; }

    public DateTimeOffset? LowUntil { get; set; }

    public IReadOnlyList<OktaQuotaReading> Readings { get; set; } = [];

    /// <summary>Calls each bucket may still take; a bucket not named here is unlimited.</summary>
    public Dictionary<OktaQuotaBucket, int> AllowanceLeft { get; } = [];

    /// <summary>What <see cref="TryTakeAllowance"/> answers for a spent bucket.</summary>
    public DateTimeOffset? AllowanceSpentUntil { get; set; }

    /// <summary>Every bucket <see cref="TryTakeAllowance"/> was asked for, taken or not.</summary>
    public List<OktaQuotaBucket> AllowanceAsked { get; } = [];

    public DateTimeOffset? TryTakeAllowance(OktaQuotaBucket bucket)
    {
        AllowanceAsked.Add(bucket);
        if (!AllowanceLeft.TryGetValue(bucket, out var left))
        {
            return null;
        }

        if (left <= 0)
        {
            return AllowanceSpentUntil ?? DateTimeOffset.MaxValue;
        }

        AllowanceLeft[bucket] = left - 1;
        return null;
    }
}
