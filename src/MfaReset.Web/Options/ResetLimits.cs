using System.ComponentModel.DataAnnotations;

namespace MfaReset.Web.Options;

/// <summary>Per-flow and per-person attempt limits.</summary>
public sealed class ResetLimits : IValidatableObject
{
    /// <summary>Okta locks a user after this many consecutive failed MFA attempts; every portal limit stays below it.</summary>
    public const int OktaLockoutThreshold = 5;

    /// <summary>
    /// Code checks a person may fail in a row (since the last success the portal saw, in it or in Okta)
    /// before the portal pauses code checks for them: one below Okta's lockout, so a stranger typing wrong
    /// codes never locks the account. Pushes are not counted: Okta does not count a denied or unanswered push.
    /// </summary>
    public const int ConsecutiveFailures = OktaLockoutThreshold - 1;

    /// <summary>
    /// Flows started per typed username within <see cref="PerUserWindow"/>. Counted before Okta is asked,
    /// so real and unknown usernames hit it alike.
    /// </summary>
    [Range(1, 100)]
    public int StartsPerUsername { get; set; } = 10;

    /// <summary>
    /// How long a verification pause lasts at most, counted from the first of the failed code checks that
    /// caused it (it ends sooner when Okta shows a success, or when the help desk lifts it). Hours, not days:
    /// whoever typed the wrong codes, a stranger among them, holds the person's code methods that long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:15:00", "1.00:00:00")]
    public TimeSpan PauseDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Failed code checks one client (an IPv4 address, or an IPv6 /64) may cause within an hour, across
    /// all usernames; beyond it the client's code checks are refused before any person's count is touched,
    /// so pausing many people takes many addresses. Raise it for many people behind one address.
    /// </summary>
    [Range(1, 1000)]
    public int CountedFailuresPerClientPerHour { get; set; } = 5;

    /// <summary>Code checks (and rejected pushes) per flow.</summary>
    [Range(1, 4)]
    public int CodeAttemptsPerFlow { get; set; } = 3;

    /// <summary>
    /// Failed code checks (and rejected pushes) per person within <see cref="PerUserWindow"/>, across flows.
    /// Each check is reserved before Okta is asked and given back when the code was right, so successful
    /// resets never spend it.
    /// </summary>
    [Range(1, OktaLockoutThreshold - 1)]
    public int CodeAttemptsPerUser { get; set; } = 4;

    /// <summary>Failed code checks (and rejected pushes) per person per day; like <see cref="CodeAttemptsPerUser"/>, a right code is given back.</summary>
    [Range(1, 100)]
    public int CodeAttemptsPerUserPerDay { get; set; } = 10;

    /// <summary>SMS or voice codes sent per flow.</summary>
    [Range(1, 10)]
    public int SendsPerFlow { get; set; } = 3;

    /// <summary>SMS or voice codes sent per person within <see cref="PerUserWindow"/>.</summary>
    [Range(1, 10)]
    public int SendsPerUser { get; set; } = 3;

    /// <summary>SMS or voice codes sent per person per day.</summary>
    [Range(1, 50)]
    public int SendsPerUserPerDay { get; set; } = 10;

    /// <summary>
    /// SMS and voice codes the whole portal sends within 24 hours (a cap on what an
    /// attacker can make the org pay for). Beyond it the send step offers the other methods and Okta is
    /// not called. Decoy sends for unknown usernames count too, so an exhausted budget looks the same
    /// for every username; the per-username and per-client limits bound how fast anyone can use it up.
    /// </summary>
    [Range(1, 10_000_000)]
    public int SendsPerDayGlobal { get; set; } = 5000;

    /// <summary>Wait before another SMS or voice code may be sent (Okta throttles at about 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:05:00")]
    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pushes per flow.</summary>
    [Range(1, 10)]
    public int PushesPerFlow { get; set; } = 3;

    /// <summary>Pushes per person within <see cref="PerUserWindow"/>.</summary>
    [Range(1, 10)]
    public int PushesPerUser { get; set; } = 3;

    /// <summary>Pushes per person per day.</summary>
    [Range(1, 50)]
    public int PushesPerUserPerDay { get; set; } = 5;

    /// <summary>Wait between two pushes to the same person.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:15:00")]
    public TimeSpan PushCooldown { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Passwords Okta may reject before the reset token is used up.</summary>
    [Range(1, 10)]
    public int PasswordAttemptsPerToken { get; set; } = 5;

    /// <summary>
    /// Form posts per client IP per minute, counted in the flow store (so across instances), answered 429
    /// beyond. Generous by default: many employees may share one corporate egress address. The push page's
    /// status poll is not counted here but under <see cref="PollsPerMinutePerClient"/>.
    /// </summary>
    [Range(10, 100_000)]
    public int PostsPerMinutePerClient { get; set; } = 120;

    /// <summary>
    /// Push status polls per client IP per minute on each instance, counted in the instance's memory (no
    /// store write), answered 429 beyond. 30,000 (500 a second) lets about 500 people behind one NAT
    /// address wait on a push at once on one instance with their pages polling every second (the page
    /// polls once per <see cref="ResetOptions.PushPollInterval"/>, so in practice more); raise it for larger
    /// offices behind one address.
    /// </summary>
    [Range(10, 1_000_000)]
    public int PollsPerMinutePerClient { get; set; } = 30_000;

    /// <summary>The rolling window of the per-person limits.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan PerUserWindow { get; set; } = TimeSpan.FromMinutes(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CodeAttemptsPerFlow > CodeAttemptsPerUser)
        {
            yield return new("Reset:Limits:CodeAttemptsPerFlow must not exceed Reset:Limits:CodeAttemptsPerUser.", [nameof(CodeAttemptsPerFlow)]);
        }
    }
}
