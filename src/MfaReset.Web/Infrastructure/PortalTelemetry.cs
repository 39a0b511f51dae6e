using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MfaReset.Web.Infrastructure;

/// <summary>
/// Metrics with OpenTelemetry: the <c>MfaReset</c> meter (the flow's <see cref="PortalMetrics"/>, the Okta
/// client's <see cref="OktaMetrics"/>) exported over OTLP when <c>OpenTelemetry:Endpoint</c> is set and on
/// a Prometheus scrape endpoint when <c>Metrics:Prometheus</c> is true. Neither: nothing is collected
/// beyond the instruments themselves, which cost next to nothing without a listener.
/// </summary>
public static partial class PortalTelemetry
{
    private const string OtlpEndpointKey = "OpenTelemetry:Endpoint";

    public static WebApplicationBuilder AddPortalMetrics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<MetricsOptions, MetricsOptionsValidator>(MetricsOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) => options.OtlpEndpoint = OtlpEndpoint(configuration));
        builder.Services.TryAddSingleton<PortalMetrics>();

        // Read once here to decide what to register, bound as the options validated on start are.
        var options = builder.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        options.OtlpEndpoint = OtlpEndpoint(builder.Configuration);
        if (!options.ExportsAnything)
        {
            return builder;
        }

        builder.Services.AddHostedService<FlowCensusSampler>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("MfaReset", serviceVersion: typeof(PortalTelemetry).Assembly.GetName().Version?.ToString(3)))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OktaMetrics.MeterName);
                if (options.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter(otlp => otlp.Endpoint = endpoint);
                }

                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        return builder;
    }

    /// <summary>The OTLP endpoint comes from OpenTelemetry's conventional <c>OpenTelemetry:Endpoint</c>, not from <c>Metrics:*</c>.</summary>
    private static Uri? OtlpEndpoint(IConfiguration configuration) => configuration.GetValue<Uri?>(OtlpEndpointKey);

    /// <summary>The Prometheus scrape endpoint, when enabled: on its path, and only on its own port when one is set.</summary>
    public static WebApplication MapPortalMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (options.Prometheus)
        {
            var scrape = app.MapPrometheusScrapingEndpoint(options.PrometheusPath);
            if (options.PrometheusPort is { } port)
            {
                scrape.RequireHost($"*:{port}");
            }
        }

        return app;
    }

    /// <summary>Counts the flows under way and the pushes waiting every <see cref="MetricsOptions.CensusInterval"/>.</summary>
    private sealed partial class FlowCensusSampler(
        IFlowStore store, PortalMetrics metrics, IOptions<MetricsOptions> options, TimeProvider time, ILogger<FlowCensusSampler> logger)
        : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(options.Value.CensusInterval, time);
            do
            {
                try
                {
                    metrics.Counted(await store.CountAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The gauges keep their last count; the flow store's health is /readyz's business.
                    Log.CensusFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }

        private static partial class Log
        {
            [LoggerMessage(1410, LogLevel.Warning, "Counting the flows for the metrics failed; the gauges keep the last count")]
            public static partial void CensusFailed(ILogger logger, Exception exception);
        }
    }
}
