using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MfaReset.Web.Hosting;

/// <summary>
/// Metrics with OpenTelemetry: the <c>MfaReset</c> meter (the flow's <see cref="PortalMetrics"/>, the Okta
/// client's <see cref="OktaMetrics"/>) exported over OTLP when <c>OpenTelemetry:Endpoint</c> is set and on
/// a Prometheus scrape endpoint when <c>Metrics:Prometheus</c> is true. Neither: nothing is collected
/// beyond the instruments themselves, which cost next to nothing without a listener.
/// The scrape is served on its own port, told by the connection's local port (never by the Host header,
/// which the client writes); outside Development a scrape without its own port is refused at start.
/// In Development without a port the scrape shares the public listener, so every export then leaves out
/// what tells a real account from an unknown one (<see cref="PublicScrapeViews"/>).
/// </summary>
public static partial class PortalTelemetry
{
    private const string OtlpEndpointKey = "OpenTelemetry:Endpoint";

    public static WebApplicationBuilder AddPortalMetrics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<MetricsOptions, MetricsOptionsValidator>(MetricsOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) => options.OtlpEndpoint = OtlpEndpoint(configuration))
            .Validate<IHostEnvironment>(
                (options, environment) => environment.IsDevelopment() || !options.Prometheus || options.PrometheusPort is not null,
                "Metrics:Prometheus needs Metrics:PrometheusPort outside Development: without its own port the scrape would answer on the public listener.");

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
                metrics.AddMeter(PortalMetrics.MeterName); // the Okta client's instruments are on a meter of the same name
                if (options.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter(otlp => otlp.Endpoint = endpoint);
                }

                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (options.Prometheus && options.PrometheusPort is null)
                {
                    PublicScrapeViews(metrics);
                }
            });
        return builder;
    }

    /// <summary>The OTLP endpoint comes from OpenTelemetry's conventional <c>OpenTelemetry:Endpoint</c>, not from <c>Metrics:*</c>.</summary>
    private static Uri? OtlpEndpoint(IConfiguration configuration) => configuration.GetValue<Uri?>(OtlpEndpointKey);

    /// <summary>
    /// Leaves out of every export what would tell, one request at a time, whether a username is an account:
    /// every instrument's <c>outcome</c> (the lookup's found or not found, a verification step's decoy, a
    /// password set's success, which only a real account reaches), and the Okta client's instruments, whose calls
    /// and bucket readings move only for real accounts.
    /// </summary>
    private static void PublicScrapeViews(MeterProviderBuilder metrics)
    {
        metrics.AddView(PortalMetrics.FlowsStarted, new MetricStreamConfiguration { TagKeys = [PortalMetrics.PurposeTag] });
        metrics.AddView(PortalMetrics.Verifications, new MetricStreamConfiguration { TagKeys = [PortalMetrics.FactorKindTag, PortalMetrics.StepTag] });
        metrics.AddView(PortalMetrics.PasswordChanges, new MetricStreamConfiguration { TagKeys = [PortalMetrics.ReadBackTag] });
        foreach (var instrument in OktaMetrics.InstrumentNames)
        {
            metrics.AddView(instrument, MetricStreamConfiguration.Drop);
        }
    }

    /// <summary>
    /// The Prometheus scrape, when enabled. With <see cref="MetricsOptions.PrometheusPort"/>, a connection
    /// that arrived on that port gets the scrape at its path and 404 for anything else, and no other
    /// connection reaches the scrape. First in the pipeline, so nothing meant for people (HTTPS redirection,
    /// the pages' rate limits) stands in a scraper's way.
    /// </summary>
    public static WebApplication UsePortalMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Prometheus)
        {
            return app;
        }

        var path = new PathString(options.PrometheusPath);
        if (options.PrometheusPort is not { } port)
        {
            // Development only (validated on start): the scrape shares the public listener, with PublicScrapeViews.
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == path);
            return app;
        }

        app.MapWhen(context => context.Connection.LocalPort == port, scrapePort =>
        {
            scrapePort.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == path);
            scrapePort.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
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
