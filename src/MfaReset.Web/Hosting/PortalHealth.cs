using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace MfaReset.Web.Hosting;

/// <summary>
/// <c>/healthz</c>: liveness, the process answers (no dependency is asked). <c>/readyz</c>: readiness, the
/// flow store answers and Okta is usable as far as the client knows from its own calls (circuit closed,
/// quota not low). No probe ever calls Okta: probes every few seconds from every load balancer would
/// spend the org's rate limit.
/// </summary>
public static class PortalHealth
{
    private const string LivenessPath = "/healthz";
    private const string ReadinessPath = "/readyz";

    /// <summary>Whether <paramref name="path"/> is one of the probes (which no request limit may refuse).</summary>
    public static bool IsProbe(PathString path) => path == LivenessPath || path == ReadinessPath;

    /// <summary>The tag of the checks <c>/readyz</c> runs.</summary>
    internal const string ReadyTag = "ready";

    public static IServiceCollection AddPortalHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<FlowStoreHealthCheck>("flow-store", tags: [ReadyTag])
            .AddCheck<OktaHealthCheck>("okta", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapPortalHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            // A low quota takes the instance out of rotation too: new flows would only meet the Busy page.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return endpoints;
    }
}

/// <summary>The in-memory store is always there; the PostgreSQL store must answer <c>SELECT 1</c> within two seconds.</summary>
internal sealed class FlowStoreHealthCheck(IOptions<FlowStoreOptions> options, IServiceProvider services) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Value.Provider != FlowStoreProvider.PostgreSql)
        {
            return HealthCheckResult.Healthy("in-memory");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var command = services.GetRequiredKeyedService<NpgsqlDataSource>(FlowStoreOptions.SectionName).CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy("postgresql");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The description only: exception texts can carry host names from the connection string.
            return HealthCheckResult.Unhealthy("postgresql does not answer");
        }
    }
}

/// <summary>Okta as the client last saw it: unhealthy while the circuit is open, degraded while the quota is low.</summary>
internal sealed class OktaHealthCheck(IOktaHealth okta, IOktaQuotaMonitor quota) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            okta.CircuitOpen ? HealthCheckResult.Unhealthy("circuit open")
            : quota.IsLow ? HealthCheckResult.Degraded("quota low")
            : HealthCheckResult.Healthy());
}
