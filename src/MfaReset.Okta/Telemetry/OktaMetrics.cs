using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MfaReset.Okta;

/// <summary>
/// The client's instruments on the <c>MfaReset</c> meter: every call by operation and outcome with its
/// duration, and gauges of what Okta's rate-limit headers and the circuit breaker say now. Tags are
/// operation names, bucket names, HTTP statuses, Okta error codes and failure kinds (<c>error.type</c>),
/// all in lower_snake_case (<see cref="MetricTagValue"/>): never a login, id or URL.
/// </summary>
public sealed class OktaMetrics
{
    /// <summary>The meter every MfaReset instrument belongs to.</summary>
    public const string MeterName = "MfaReset";

    private const string Calls = "mfareset.okta.calls";
    private const string CallDuration = "mfareset.okta.call.duration";
    private const string RateLimitRemaining = "mfareset.okta.rate_limit.remaining";
    private const string CircuitOpen = "mfareset.okta.circuit.open";

    /// <summary>Every instrument this class makes: an export that must not show Okta's side leaves these out.</summary>
    public static IReadOnlyList<string> InstrumentNames { get; } = [Calls, CallDuration, RateLimitRemaining, CircuitOpen];

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    internal OktaMetrics(IMeterFactory meterFactory, IOktaQuotaMonitor quota, IOktaHealth health)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _calls = meter.CreateCounter<long>(
            Calls, unit: "{call}", description: "Okta API calls by operation and outcome (success: a 2xx answer, failure: an error answer, unavailable: none).");
        _duration = meter.CreateHistogram<double>(
            CallDuration, unit: "s", description: "Time from sending an Okta API call (retries included) to its answer or failure.");
        meter.CreateObservableGauge(
            RateLimitRemaining,
            () => quota.Readings.Select(r => new Measurement<int>(r.Remaining, new KeyValuePair<string, object?>("okta.bucket", MetricTagValue.Of(r.Bucket)))),
            unit: "{request}",
            description: "Requests left in each Okta rate-limit bucket's current window, as Okta last reported.");
        meter.CreateObservableGauge(
            CircuitOpen,
            () => health.CircuitOpen ? 1 : 0,
            description: "1 while the Okta circuit breaker is open and calls fail fast, else 0.");
    }

    internal void Answered(OktaOperation operation, int status, string? errorCode, TimeSpan elapsed)
    {
        var outcome = status is >= 200 and < 300 ? "success" : "failure";
        Record(operation, outcome, status, errorCode, elapsed);
    }

    internal void Unavailable(OktaOperation operation, OktaUnavailable reason, TimeSpan elapsed) =>
        Record(operation, "unavailable", reason.HttpStatus, reason.Kind.ToString(), elapsed);

    private void Record(OktaOperation operation, string outcome, int? status, string? errorType, TimeSpan elapsed)
    {
        var tags = new TagList { { "okta.operation", MetricTagValue.Of(operation.Name) }, { "okta.outcome", outcome } };
        if (status is { } code)
        {
            tags.Add("http.response.status_code", code);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", MetricTagValue.Of(errorType));
        }

        _calls.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }
}
