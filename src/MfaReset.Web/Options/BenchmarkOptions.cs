namespace MfaReset.Web.Options;

/// <summary>Switches for the load driver (tests/MfaReset.LoadTest). Bound from <c>Benchmark</c>; all off in production.</summary>
public sealed class BenchmarkOptions
{
    public const string SectionName = "Benchmark";

    /// <summary>The configuration key of <see cref="LongPushWaits"/>.</summary>
    public const string LongPushWaitsKey = SectionName + ":" + nameof(LongPushWaits);

    /// <summary>
    /// Serves <c>/_bench/baseline</c>: the portal's layout around a static body, no flow, no form, no Okta
    /// call. The driver measures the reset pages' throughput as a ratio of it. A setting rather than the
    /// environment, because the benchmark runs the portal as in production.
    /// </summary>
    public bool BaselinePage { get; set; }

    /// <summary>
    /// Lets <c>Reset:PushLifetime</c>, <c>Reset:IdleTimeout</c> and <c>Reset:FlowLifetime</c> go up to
    /// <see cref="ResetOptions.BenchmarkLifetimeCap"/>, beyond Okta's 5-minute push lifetime, so the load driver can
    /// keep 100,000 pushes pending at once on a machine that starts fewer than 476 flows a second. Only against
    /// the embedded or standalone sandbox (which keeps its pushes open as long, <c>Sandbox:PushLifetime</c>):
    /// with a real Okta org the start is refused (<c>SandboxStartRules.BenchmarkRefusal</c>).
    /// </summary>
    public bool LongPushWaits { get; set; }
}
