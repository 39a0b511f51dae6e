namespace MfaReset.Web.Options;

/// <summary>Switches for the load driver (tests/MfaReset.LoadTest). Bound from <c>Benchmark</c>; all off in production.</summary>
public sealed class BenchmarkOptions
{
    public const string SectionName = "Benchmark";

    /// <summary>
    /// Serves <c>/_bench/baseline</c>: the portal's layout around a static body, no flow, no form, no Okta
    /// call. The driver measures the reset pages' throughput as a ratio of it. A setting rather than the
    /// environment, because the benchmark runs the portal as in production.
    /// </summary>
    public bool BaselinePage { get; set; }
}
