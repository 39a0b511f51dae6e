namespace MfaReset.Okta;

/// <summary>
/// What the client knows of Okta's health from the calls it has made, without calling Okta: for readiness
/// probes and metrics. One per <see cref="OktaClientServiceCollectionExtensions.AddOktaClient"/> registration.
/// </summary>
public interface IOktaHealth
{
    /// <summary>True while the circuit breaker refuses new calls (after consecutive failures, until its break ends or a trial call is under way).</summary>
    bool CircuitOpen { get; }
}
