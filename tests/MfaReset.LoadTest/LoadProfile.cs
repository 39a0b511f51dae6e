namespace MfaReset.LoadTest;

/// <summary>The sizes of a run. <see cref="Smoke"/> exercises every figure in seconds; <see cref="Full"/> is the matrix.</summary>
internal sealed record LoadProfile
{
    public static LoadProfile Smoke { get; } = new()
    {
        Runs = 1,
        ResetsPerKind = 1,
        PushTabs = 2,
        PushWaitIntervals = 1,
        ConcurrencyLevels = [1, 4],
        Warmup = TimeSpan.FromMilliseconds(300),
        StepDuration = TimeSpan.FromSeconds(1.5),
        PushWaitFlows = [20],
        PushWaitDuration = TimeSpan.FromSeconds(3),
        PostgresPendingPushes = 30,
        ColdStarts = 1,
        PasswordRaces = 3,
        // One send reaches the limit: the refused request then comes after one resend cooldown (30 s), not three.
        SendsPerPerson = 1,
        // A fast portal completes a few hundred resets a second; every reset needs a person of its own.
        LoadTestUsers = 5_000,
        PollCostFlows = 4,
        PollCostRate = 50,
    };

    public static LoadProfile Full { get; } = new()
    {
        Runs = 3,
        ResetsPerKind = 3,
        PushTabs = 3,
        PushWaitIntervals = 3,
        ConcurrencyLevels = [1, 16, 64],
        Warmup = TimeSpan.FromSeconds(2),
        StepDuration = TimeSpan.FromSeconds(10),
        PushWaitFlows = [1_000, 10_000],
        PushWaitDuration = TimeSpan.FromSeconds(60),
        PostgresPendingPushes = 10_000,
        ColdStarts = 5,
        PasswordRaces = 50,
        LoadTestUsers = 60_000,
        PollCostFlows = 200,
        PollCostRate = 400,
    };

    /// <summary>How many times each figure is measured; the table shows the median.</summary>
    public required int Runs { get; init; }

    /// <summary>Figures 1 and 7: resets per factor kind and run whose Okta calls (figure 7: store statements) are counted.</summary>
    public required int ResetsPerKind { get; init; }

    /// <summary>Figure 1: browser tabs polling the same push flow, to show polls do not multiply.</summary>
    public required int PushTabs { get; init; }

    /// <summary>Figure 1: how many push poll intervals pass before the push is approved.</summary>
    public required int PushWaitIntervals { get; init; }

    /// <summary>Figures 2, 3, 6 and 7: concurrent virtual users per step.</summary>
    public required IReadOnlyList<int> ConcurrencyLevels { get; init; }

    /// <summary>Figures 2, 3 and 6: load before measuring a step (JIT, connection pools, caches).</summary>
    public required TimeSpan Warmup { get; init; }

    /// <summary>Figures 2, 3 and 6: how long each step is measured.</summary>
    public required TimeSpan StepDuration { get; init; }

    /// <summary>Figure 4: how many flows wait on a push at once, one step per value.</summary>
    public required IReadOnlyList<int> PushWaitFlows { get; init; }

    /// <summary>Figure 4: how long the flows wait, polling every second.</summary>
    public required TimeSpan PushWaitDuration { get; init; }

    /// <summary>Figure 9: people waiting on a push whose polls are offered.</summary>
    public required int PollCostFlows { get; init; }

    /// <summary>Figure 9: polls offered per second to each target (open loop), below what the machine sustains.</summary>
    public required int PollCostRate { get; init; }

    /// <summary>Figure 7: push flows left pending in the PostgreSQL store before its tables are measured.</summary>
    public required int PostgresPendingPushes { get; init; }

    /// <summary>Figure 5: process starts per run.</summary>
    public required int ColdStarts { get; init; }

    /// <summary>Figure 8: people whose change-password form is sent to both instances at once.</summary>
    public required int PasswordRaces { get; init; }

    /// <summary>Figure 8: <c>Reset:Limits:SendsPerUser</c> for the stage; null keeps the portal's default.</summary>
    public int? SendsPerPerson { get; init; }

    /// <summary>Figure 8: poll intervals one push flow is polled from both instances.</summary>
    public int TwoInstancePollIntervals { get; init; } = 3;

    /// <summary>Generated sandbox users, so concurrent flows never share a phone or hit per-user limits.</summary>
    public required int LoadTestUsers { get; init; }

    /// <summary>Figure 4: how often each waiting browser polls.</summary>
    public TimeSpan PushPollEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Figure 6: the injected Okta latency, 100 ms ± 20 ms (fixed part plus uniform jitter).</summary>
    public TimeSpan InjectedLatency { get; init; } = TimeSpan.FromMilliseconds(80);

    /// <summary>Figure 6: the jitter on top of <see cref="InjectedLatency"/>.</summary>
    public TimeSpan InjectedJitter { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Browsers send <c>Origin: null</c> with form POSTs under the portal's no-referrer policy, as Chromium does.</summary>
    public bool NullOriginOnForms { get; init; }

    public static LoadProfile For(DriverOptions options)
    {
        var profile = (options.Mode == DriverMode.Full ? Full : Smoke) with { NullOriginOnForms = options.ChromiumOrigin };
        profile = options.PushWaitFlows is { } flows ? profile with { PushWaitFlows = flows } : profile;
        return options.Runs is { } runs ? profile with { Runs = runs } : profile;
    }
}
