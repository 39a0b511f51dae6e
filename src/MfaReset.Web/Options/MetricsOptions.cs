using System.ComponentModel.DataAnnotations;

namespace MfaReset.Web.Options;

/// <summary>
/// Where the <c>MfaReset</c> meter goes. Bound from <c>Metrics</c>; the OTLP endpoint from
/// <c>OpenTelemetry:Endpoint</c>. Nothing is exported unless one of them is set.
/// </summary>
public sealed class MetricsOptions : IValidatableObject
{
    public const string SectionName = "Metrics";

    /// <summary>The OTLP collector, always taken from <c>OpenTelemetry:Endpoint</c> (e.g. <c>http://otel-collector:4317</c>); null: no OTLP export.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Serves a Prometheus scrape endpoint at <see cref="PrometheusPath"/>. Off by default.</summary>
    public bool Prometheus { get; set; }

    /// <summary>The scrape endpoint's path.</summary>
    [Required]
    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>
    /// When set, the scrape endpoint answers only on this port (add it to the server's URLs, e.g.
    /// <c>ASPNETCORE_URLS=http://+:8080;http://+:9464</c>, and keep it off the public listener).
    /// </summary>
    [Range(1, 65535)]
    public int? PrometheusPort { get; set; }

    /// <summary>How often the flows under way and pushes waiting are counted in the flow store.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CensusInterval { get; set; } = TimeSpan.FromSeconds(30);

    public bool ExportsAnything => OtlpEndpoint is not null || Prometheus;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!PrometheusPath.StartsWith('/') || PrometheusPath.Contains('?', StringComparison.Ordinal) || PrometheusPath.Contains('#', StringComparison.Ordinal))
        {
            yield return new ValidationResult("Metrics:PrometheusPath must be a path starting with '/' (no query, no fragment).", [nameof(PrometheusPath)]);
        }

        if (OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("OpenTelemetry:Endpoint must be an absolute http or https URL.", [nameof(OtlpEndpoint)]);
        }
    }
}
