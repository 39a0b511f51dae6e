namespace MfaReset.Web.Options;

/// <summary>
/// The production caps on a flow's lifetimes: a push pending at most Okta's own 5 minutes, a flow idle at most
/// 5 minutes and alive at most 15. Only <c>Benchmark:LongPushWaits</c> lifts them, to
/// <see cref="ResetOptions.BenchmarkLifetimeCap"/>, and that switch is refused at start with a real Okta org.
/// </summary>
internal sealed class ResetLifetimeCaps(IOptions<BenchmarkOptions> benchmark) : IValidateOptions<ResetOptions>
{
    public static readonly TimeSpan OktaPushLifetime = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan LongestIdleTimeout = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan LongestFlowLifetime = TimeSpan.FromMinutes(15);

    public ValidateOptionsResult Validate(string? name, ResetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (benchmark.Value.LongPushWaits)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        Cap(failures, nameof(ResetOptions.PushLifetime), options.PushLifetime, OktaPushLifetime, ", Okta's own push lifetime");
        Cap(failures, nameof(ResetOptions.IdleTimeout), options.IdleTimeout, LongestIdleTimeout, string.Empty);
        Cap(failures, nameof(ResetOptions.FlowLifetime), options.FlowLifetime, LongestFlowLifetime, string.Empty);
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    private static void Cap(List<string> failures, string member, TimeSpan value, TimeSpan cap, string why)
    {
        if (value > cap)
        {
            failures.Add($"{ResetOptions.SectionName}:{member} must be at most {cap:c}{why}; it is {value:c}.");
        }
    }
}
