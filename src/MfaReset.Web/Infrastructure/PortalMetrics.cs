using System.Diagnostics;
using System.Diagnostics.Metrics;
using MfaReset.Okta;
using MfaReset.Web.Flow;

namespace MfaReset.Web.Infrastructure;

/// <summary>
/// The reset flow's instruments on the <c>MfaReset</c> meter (the Okta client adds its own calls there).
/// Every tag value is one of a fixed set (factor kinds, step names, outcomes, limits, stages, problems):
/// never a login, an Okta id, a client address or a URL.
/// </summary>
public sealed class PortalMetrics
{
    private readonly Counter<long> _flowsStarted;
    private readonly Counter<long> _verifications;
    private readonly Counter<long> _passwordChanges;
    private readonly Counter<long> _flowsEnded;
    private readonly Counter<long> _limitsReached;
    private FlowCensus _census = new(0, 0);

    public PortalMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(OktaMetrics.MeterName);
        _flowsStarted = meter.CreateCounter<long>(
            "mfareset.flows.started", unit: "{flow}", description: "Usernames submitted that started a flow, by how Okta answered the lookup.");
        _verifications = meter.CreateCounter<long>(
            "mfareset.verifications", unit: "{step}", description: "Verification steps (challenge, code, push sent, push answered) by factor kind and outcome.");
        _passwordChanges = meter.CreateCounter<long>(
            "mfareset.password.changes", unit: "{change}", description: "Attempts to set the new password, by outcome.");
        _flowsEnded = meter.CreateCounter<long>(
            "mfareset.flows.ended", unit: "{flow}", description: "Flows that ended, by stage (PasswordChanged: the reset is complete) and problem.");
        _limitsReached = meter.CreateCounter<long>(
            "mfareset.limits.reached", unit: "{refusal}", description: "Requests refused by a limit, by limit.");
        meter.CreateObservableGauge(
            "mfareset.flows.live", () => Volatile.Read(ref _census).Live, unit: "{flow}",
            description: "Flows under way in the flow store (all instances when it is shared), as last counted.");
        meter.CreateObservableGauge(
            "mfareset.pushes.waiting", () => Volatile.Read(ref _census).PushesWaiting, unit: "{flow}",
            description: "Flows waiting on an Okta Verify push, as last counted.");
    }

    public void FlowStarted(string outcome) => _flowsStarted.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Verification(FactorKind kind, string step, string outcome) =>
        _verifications.Add(1, new TagList { { "factor.kind", kind.ToString() }, { "step", step }, { "outcome", outcome } });

    public void PasswordChange(string outcome) => _passwordChanges.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void FlowEnded(FlowStage stage, FlowProblem? problem) =>
        _flowsEnded.Add(1, new TagList { { "stage", stage.ToString() }, { "problem", problem?.ToString() ?? "none" } });

    public void LimitReached(string limit) => _limitsReached.Add(1, new KeyValuePair<string, object?>("limit", limit));

    /// <summary>The latest count of the flow store, read by the two gauges.</summary>
    public void Counted(FlowCensus census) => Volatile.Write(ref _census, census);
}
