using MfaReset.Web.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MfaReset.Web.Preflight;

/// <summary><c>Preflight:*</c>: whether the portal runs <c>check-okta</c>'s checks once at start.</summary>
public sealed class PreflightOptions
{
    public const string SectionName = "Preflight";

    /// <summary>Run the checks once the portal has started, log a line per read and put them on <c>/readyz</c>'s detail. Default true.</summary>
    public bool AtStart { get; set; } = true;
}

/// <summary>The preflight's latest report in this process; null until the checks at start have finished.</summary>
public sealed class PreflightResults
{
    private volatile PreflightReport? _latest;

    public PreflightReport? Latest
    {
        get => _latest;
        internal set => _latest = value;
    }
}

/// <summary>
/// The preflight at start: once the host has started (never before, so it never delays or blocks the start, and the
/// embedded sandbox is up), runs <see cref="OktaPreflight"/>, logs one line per read (a warning for anything not
/// fine) and keeps the report for <see cref="PreflightHealthCheck"/>. Six or so reads per start, from the org's buckets.
/// </summary>
internal sealed partial class PreflightAtStart(
    OktaPreflight preflight, PreflightResults results, IOptions<PreflightOptions> options, IHostApplicationLifetime lifetime, ILogger<PreflightAtStart> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.AtStart)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var report = await preflight.RunAsync(stoppingToken).ConfigureAwait(false);
        foreach (var line in report.Lines)
        {
            if (line.Verdict == PreflightVerdict.Fine)
            {
                Log.Fine(logger, line.Operation, line.Detail);
            }
            else
            {
                Log.NotFine(logger, line.Operation, PreflightLine.Label(line.Verdict), line.Detail);
            }
        }

        results.Latest = report;
    }

    private static partial class Log
    {
        [LoggerMessage(1350, LogLevel.Information, "Okta preflight {OktaOperation}: fine {PreflightDetail}")]
        public static partial void Fine(ILogger logger, string oktaOperation, string preflightDetail);

        [LoggerMessage(1351, LogLevel.Warning, "Okta preflight {OktaOperation}: {PreflightVerdict} - {PreflightDetail} (docs/okta-setup.md, check-okta)")]
        public static partial void NotFine(ILogger logger, string oktaOperation, string preflightVerdict, string preflightDetail);
    }
}

/// <summary>
/// The preflight on <c>/readyz</c>, for operators: always healthy (a setup problem is not this instance's, and taking
/// every instance out of rotation would turn it into an outage), with one data entry per line. <c>/readyz</c>'s public
/// answer writes only the overall status (<see cref="PortalHealth"/>); the data reaches health-check publishers and
/// whoever runs the checks inside the process, never an HTTP client.
/// </summary>
internal sealed class PreflightHealthCheck(PreflightResults results, IOptions<PreflightOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (results.Latest is not { } report)
        {
            return Task.FromResult(HealthCheckResult.Healthy(options.Value.AtStart ? "okta preflight not finished" : "okta preflight off (Preflight:AtStart=false)"));
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        for (var i = 0; i < report.Lines.Count; i++)
        {
            // listPolicyRules may have several lines (one per rule the portal fails closed on): each keeps its own key.
            var line = report.Lines[i];
            data[data.ContainsKey(line.Operation) ? $"{line.Operation}#{i}" : line.Operation] = line.ToString()[(line.Operation.Length + 2)..];
        }

        var problems = report.Lines.Count(line => line.Verdict != PreflightVerdict.Fine);
        return Task.FromResult(HealthCheckResult.Healthy(problems == 0 ? "okta preflight: all fine" : $"okta preflight: {problems} not fine", data));
    }
}

public static class PreflightSetup
{
    /// <summary>The preflight (<see cref="OktaPreflight"/>), its run at start and its entry on <c>/readyz</c>.</summary>
    public static IServiceCollection AddOktaPreflight(this IServiceCollection services)
    {
        services.AddOptions<PreflightOptions>().BindConfiguration(PreflightOptions.SectionName).ValidateOnStart();
        services.AddSingleton<OktaPreflight>();
        services.AddSingleton<PreflightResults>();
        services.AddHostedService<PreflightAtStart>();
        services.AddHealthChecks().AddCheck<PreflightHealthCheck>("okta-preflight", tags: [PortalHealth.ReadyTag]);
        return services;
    }
}
