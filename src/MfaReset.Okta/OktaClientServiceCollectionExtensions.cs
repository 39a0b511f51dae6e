using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MfaReset.Okta;

/// <summary>Registers <see cref="IOktaClient"/>.</summary>
public static class OktaClientServiceCollectionExtensions
{
    // Okta answers for one user are a few kilobytes; refuse to buffer anything absurd.
    private const int MaxResponseBytes = 1024 * 1024;

    // Behind the pipeline's own timeouts (which follow TimeProvider); only a wedged pipeline reaches it.
    private static readonly TimeSpan HttpClientTimeoutMargin = TimeSpan.FromSeconds(5);

    private static readonly ProductInfoHeaderValue ProductUserAgent =
        new("MfaReset", typeof(OktaClient).Assembly.GetName().Version?.ToString(3) ?? "1.0.0");

    /// <summary>
    /// Registers <see cref="IOktaClient"/> as a typed client bound to <paramref name="configSectionPath"/>
    /// (<see cref="OktaOptions"/>, validated at start), with the SSWS token or the service app's OAuth access token (<see cref="OktaOptions.Authorization"/>), <c>Accept: application/json</c>,
    /// no redirects, and the timeouts, retries, circuit breaker and in-flight cap of <see cref="OktaOptions"/>.
    /// Also registers <see cref="IOktaQuotaMonitor"/> and <see cref="IOktaHealth"/>. Time comes from a registered <see cref="TimeProvider"/>,
    /// else <see cref="TimeProvider.System"/>.
    /// </summary>
    /// <returns>The client's builder, e.g. to replace the primary handler in tests.</returns>
    public static IHttpClientBuilder AddOktaClient(this IServiceCollection services, string configSectionPath = OktaOptions.DefaultSectionName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(configSectionPath);

        services.AddOptions<OktaOptions>().BindConfiguration(configSectionPath).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OktaOptions>>(new OktaOptionsValidator(configSectionPath)));
        // One of each per registration: the breaker, the in-flight cap and the quota readings are shared by every call.
        services.TryAddSingleton(sp => new OktaQuotaMonitor(Options(sp), Time(sp), Logger(sp)));
        services.TryAddSingleton<IOktaQuotaMonitor>(sp => sp.GetRequiredService<OktaQuotaMonitor>());
        services.TryAddSingleton(sp => new OktaResilience(Options(sp), Time(sp), sp.GetRequiredService<OktaQuotaMonitor>(), Logger(sp)));
        services.TryAddSingleton<IOktaHealth>(sp => sp.GetRequiredService<OktaResilience>());
        services.TryAddSingleton(sp => new OktaAccessTokens(Options(sp), sp.GetRequiredService<IHttpClientFactory>(), Time(sp), Logger(sp)));
        // The service app's token requests: the same transport rules as the API calls, outside their handler chain.
        services.AddHttpClient(OktaAccessTokens.HttpClientName, http =>
            {
                http.MaxResponseContentBufferSize = MaxResponseBytes;
                http.DefaultRequestHeaders.UserAgent.Add(ProductUserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(sp => PrimaryHandler(Options(sp)))
            .RemoveAllLoggers();
        services.AddMetrics();
        services.TryAddSingleton(sp => new OktaMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<IOktaQuotaMonitor>(), sp.GetRequiredService<IOktaHealth>()));

        // The same typed client answers the org-wide role and group reads.
        services.TryAddTransient<IOktaRoleDirectory>(sp => (OktaClient)sp.GetRequiredService<IOktaClient>());
        return services
            .AddHttpClient<IOktaClient, OktaClient>((sp, http) =>
            {
                var options = Options(sp);
                http.Timeout = options.TotalBudget + HttpClientTimeoutMargin;
                http.MaxResponseContentBufferSize = MaxResponseBytes;
                http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                http.DefaultRequestHeaders.UserAgent.Add(ProductUserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(sp => PrimaryHandler(Options(sp)))
            .AddHttpMessageHandler(sp => Options(sp).EffectiveAuthorization == OktaAuthorization.PrivateKeyJwt
                ? new OktaAccessTokenHandler(sp.GetRequiredService<IOptions<OktaOptions>>(), sp.GetRequiredService<OktaAccessTokens>(), Logger(sp))
                : new SswsAuthenticationHandler(sp.GetRequiredService<IOptions<OktaOptions>>()))
            // The factory's default request logging writes full URLs: logins and poll links. The client logs for itself.
            .RemoveAllLoggers();
    }

    private static SocketsHttpHandler PrimaryHandler(OktaOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = options.ConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    private static OktaOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<OktaOptions>>().Value;

    private static TimeProvider Time(IServiceProvider services) => services.GetService<TimeProvider>() ?? TimeProvider.System;

    private static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILoggerFactory>().CreateLogger<OktaClient>();
}
