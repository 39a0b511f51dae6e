using MfaReset.Okta;

namespace MfaReset.Web.Reset.OktaCalls;

/// <summary>
/// How often Okta is asked about a waiting push. The pace starts at <see cref="Options.ResetOptions.PushPollInterval"/>
/// (4 s by default: Okta's own sign-in widget polls a push every 4 s, the <c>refresh: 4000</c> of Identity Engine's
/// <c>challenge-poll</c>) and slows as the <c>/api/v1</c> bucket that polls share with every person's verify calls
/// runs low, so waiting pushes never starve the code checks and sends of others (docs/limits.md, "Push polls").
/// </summary>
public static class PollPace
{
    /// <summary>The buckets of Okta's <c>/api/v1</c> catch-all the portal reads: polls, verify calls and factor lists.</summary>
    private static readonly OktaQuotaBucket[] ApiV1 = [OktaQuotaBucket.PushPoll, OktaQuotaBucket.FactorVerify, OktaQuotaBucket.Factors];

    /// <summary>No pace is slower than this: a push lives 5 minutes, and the person is looking at the page.</summary>
    public static readonly TimeSpan Slowest = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The pace for the readings Okta last gave: the base interval while half or more of the fullest-spent bucket is
    /// left, twice it below a half, four times below a quarter, eight times below a tenth; never slower than
    /// <see cref="Slowest"/>. A reading whose window has ended says nothing.
    /// </summary>
    public static TimeSpan Of(TimeSpan baseInterval, IEnumerable<OktaQuotaReading> readings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var left = readings
            .Where(r => ApiV1.Contains(r.Bucket) && r.Limit > 0 && r.ResetsAt > now)
            .Select(r => (double)r.Remaining / r.Limit)
            .DefaultIfEmpty(1)
            .Min();
        var factor = left switch
        {
            >= 0.5 => 1,
            >= 0.25 => 2,
            >= 0.1 => 4,
            _ => 8,
        };
        var pace = baseInterval * factor;
        return pace < Slowest ? pace : (baseInterval > Slowest ? baseInterval : Slowest);
    }
}
