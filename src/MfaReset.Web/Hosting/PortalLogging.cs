using MfaReset.Web.Http;
using MfaReset.Web.Reset.State;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Settings.Configuration;

namespace MfaReset.Web.Hosting;

/// <summary>
/// Serilog through Serilog.AspNetCore: configured from the <c>Serilog</c> section, one line per request,
/// compact JSON on stdout outside Development and readable text in Development.
/// </summary>
public static class PortalLogging
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}";

    /// <summary>
    /// Serilog as the only logging provider. <c>preserveStaticLogger</c>: the static <c>Log.Logger</c> stays
    /// untouched, so test hosts running side by side in one process never write into each other's logs.
    /// <c>writeToProviders</c>: other providers registered with the host (a test's capture) see every event.
    /// </summary>
    public static WebApplicationBuilder AddPortalLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.ClearProviders();
        var configuration = builder.Configuration;
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                logger.ReadFrom.Configuration(configuration, new ConfigurationReaderOptions(typeof(ConsoleLoggerConfigurationExtensions).Assembly))
                    .ReadFrom.Services(services)
                    .Enrich.FromLogContext();
                if (!configuration.GetSection("Serilog:WriteTo").GetChildren().Any())
                {
                    // The default sink when the configuration names none.
                    _ = development
                        ? logger.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
                        : logger.WriteTo.Console(new RenderedCompactJsonFormatter());
                }
            },
            preserveStaticLogger: true,
            writeToProviders: true);
        return builder;
    }

    /// <summary>
    /// One event per request: method, path (never the query string), status, elapsed time, the flow's log
    /// reference and the error reference a person may quote. No cookies, form fields or header values.
    /// The push page's poll is logged at Debug: a waiting page asks every few seconds.
    /// </summary>
    public static IApplicationBuilder UsePortalRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // The host's logger: the static one stays silent (see AddPortalLogging).
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (http, _, exception) =>
                exception is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error
                : IsPushPoll(http.Request) ? LogEventLevel.Debug
                : LogEventLevel.Information;
            options.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                diagnostics.Set("Reference", ErrorReference.Of(http));
                // FlowRef: the flow the request came with, else the one it started. A flow whose key the
                // response renewed (verification) also names the new key, so one reset reads as one chain.
                var presented = FlowCookies.ReadFlow(http.Request);
                var issued = FlowCookies.IssuedFlow(http);
                if ((presented ?? issued) is { } secret)
                {
                    diagnostics.Set("FlowRef", LogRef(secret));
                }
                if (presented is not null && issued is not null && issued != presented)
                {
                    diagnostics.Set("NextFlowRef", LogRef(issued));
                }
            };
        });

    private static string LogRef(string flowSecret) => FlowSecrets.LogRef(FlowSecrets.KeyOf(flowSecret));

    private static bool IsPushPoll(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals("/reset/push/status", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The reference a person is shown on an error page, and the one their request is logged with.</summary>
public static class ErrorReference
{
    public static string Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
    }
}
