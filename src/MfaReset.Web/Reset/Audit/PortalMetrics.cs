using System.Diagnostics;
using System.Diagnostics.Metrics;
using MfaReset.Web.Hosting;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;

namespace MfaReset.Web.Reset.Audit;

/// <summary>
/// Every instrument of the portal, on the one meter <see cref="MeterName"/> (the Okta client library adds its own
/// calls to a meter of the same name, <c>OktaMetrics</c>, so one <c>AddMeter</c> exports both). Registered once, by <c>AddResetFlow</c>.
/// Every tag value is one of a fixed set (factor kinds, step names, outcomes, limits, stages, problems),
/// written in lower_snake_case by <see cref="MetricTagValue"/>: never a login, an Okta id, a client address
/// or a URL. The README's Metrics section lists the values.
/// </summary>
public sealed class PortalMetrics
{
    /// <summary>The portal's meter: named for the product, not for any one part of it; the Okta client's name, so one <c>AddMeter</c> exports both.</summary>
    public const string MeterName = OktaMetrics.MeterName;

    /// <summary>Instrument and tag names a metrics view refers to (<see cref="PortalTelemetry"/>).</summary>
    public const string FlowsStarted = "mfareset.flows.started";

    public const string Verifications = "mfareset.verifications";

    public const string PasswordChanges = "mfareset.password.changes";

    public const string ReadBackTag = "read_back";

    public const string PurposeTag = "purpose";

    public const string FactorKindTag = "factor.kind";

    public const string StepTag = "step";

    private readonly Counter<long> _flowsStarted;
    private readonly Counter<long> _verifications;
    private readonly Counter<long> _passwordChanges;
    private readonly Counter<long> _flowsEnded;
    private readonly Counter<long> _limitsReached;
    private readonly Counter<long> _flowStoreOperations;
    private readonly Counter<long> _breachCheckFailures;
    private FlowCensus _census = new(0, 0);

    public PortalMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _flowsStarted = meter.CreateCounter<long>(
            FlowsStarted, unit: "{flow}", description: "Usernames submitted that started a flow, by purpose (reset, unlock) and how Okta answered the lookup.");
        _verifications = meter.CreateCounter<long>(
            Verifications, unit: "{step}", description: "Verification steps (challenge, code, push sent, push answered) by factor kind and outcome.");
        _passwordChanges = meter.CreateCounter<long>(
            PasswordChanges, unit: "{change}", description: "Attempts to set the new password, by outcome and whether it was settled by reading the user back.");
        _flowsEnded = meter.CreateCounter<long>(
            "mfareset.flows.ended", unit: "{flow}", description: "Flows that ended, by stage (password_changed: the reset is complete) and problem.");
        _limitsReached = meter.CreateCounter<long>(
            "mfareset.limits.reached", unit: "{refusal}", description: "Requests refused by a limit, by limit.");
        _flowStoreOperations = meter.CreateCounter<long>(
            "mfareset.flow_store.operations", unit: "{operation}", description: "Calls on the flow store, by operation (get, add, replace, acquire_lease, ...).");
        _breachCheckFailures = meter.CreateCounter<long>(
            "mfareset.password_breach_check.failures", description: "Breached-password range queries that failed, so the password was not checked against it.");
        meter.CreateObservableGauge(
            "mfareset.flows.live", () => Volatile.Read(ref _census).Live, unit: "{flow}",
            description: "Flows under way in the flow store (all instances when it is shared), as last counted.");
        meter.CreateObservableGauge(
            "mfareset.pushes.waiting", () => Volatile.Read(ref _census).PushesWaiting, unit: "{flow}",
            description: "Flows waiting on an Okta Verify push, as last counted.");
    }

    /// <summary>The breached-password range query failed: the password was not checked against it.</summary>
    public void BreachCheckFailed() => _breachCheckFailures.Add(1);

    /// <param name="outcome">The lookup's outcome as the audit log writes it, e.g. <c>not-found</c>.</param>
    public void FlowStarted(FlowPurpose purpose, string outcome) =>
        _flowsStarted.Add(1, new TagList { { PurposeTag, MetricTagValue.Of(purpose) }, { "outcome", MetricTagValue.Of(outcome) } });

    public void Verification(FactorKind kind, VerificationStep step, MetricOutcome outcome) =>
        _verifications.Add(1, new TagList { { FactorKindTag, MetricTagValue.Of(kind) }, { StepTag, MetricTagValue.Of(step) }, { "outcome", MetricTagValue.Of(outcome) } });

    /// <param name="outcome">Success, Rejected (by the password policy), Failure or Unknown.</param>
    /// <param name="readBack">The answer was lost and the outcome was settled (or not) by reading the user.</param>
    public void PasswordChange(MetricOutcome outcome, bool readBack) =>
        _passwordChanges.Add(1, new TagList { { "outcome", MetricTagValue.Of(outcome) }, { ReadBackTag, readBack ? "true" : "false" } });

    public void FlowEnded(FlowStage stage, FlowProblem? problem) =>
        _flowsEnded.Add(1, new TagList { { "stage", MetricTagValue.Of(stage) }, { "problem", problem is { } p ? MetricTagValue.Of(p) : "none" } });

    /// <param name="limit">The limit's name as the audit log writes it, e.g. <c>codes-per-user</c>.</param>
    public void LimitReached(string limit) => _limitsReached.Add(1, new KeyValuePair<string, object?>("limit", MetricTagValue.Of(limit)));

    /// <summary>One call on the flow store (<see cref="MeteredFlowStore"/>): a tag made once per operation, nothing allocated per call.</summary>
    public void FlowStoreCalled(FlowStoreOperation operation) => _flowStoreOperations.Add(1, FlowStoreOperationTags[(int)operation]);

    private static readonly KeyValuePair<string, object?>[] FlowStoreOperationTags = Enum.GetValues<FlowStoreOperation>()
        .Select(operation => KeyValuePair.Create<string, object?>("operation", MetricTagValue.Of(operation)))
        .ToArray();

    /// <summary>The latest count of the flow store, read by the two gauges.</summary>
    public void Counted(FlowCensus census) => Volatile.Write(ref _census, census);
}

/// <summary>The verification steps <c>mfareset.verifications</c> counts.</summary>
public enum VerificationStep
{
    Challenge,
    Code,
    PushSent,
    PushAnswered,
}

/// <summary>The one vocabulary of the meter's <c>outcome</c> tags (verifications and password changes).</summary>
public enum MetricOutcome
{
    /// <summary>Done: a challenge or push sent, a code accepted, a push approved, a password set.</summary>
    Success,

    /// <summary>Refused on its merits: a wrong code, a push denied, a password the policy refused.</summary>
    Rejected,

    /// <summary>A push nobody answered in time.</summary>
    Timeout,

    /// <summary>A push withdrawn by the portal.</summary>
    Cancelled,

    /// <summary>Okta's rate limit answered 429.</summary>
    Throttled,

    /// <summary>A code Okta had already accepted once, or one outside its time window.</summary>
    CodeReused,

    /// <summary>Okta answered with an error, or it did not take effect.</summary>
    Failure,

    /// <summary>No usable answer from Okta (timeout, connection, circuit open).</summary>
    Unavailable,

    /// <summary>The client refused to send the call (e.g. a poll link to a host that is not the org).</summary>
    Refused,

    /// <summary>An answer the portal does not expect for the step.</summary>
    Unexpected,

    /// <summary>What an unknown username is shown: nothing was sent to Okta.</summary>
    Decoy,

    /// <summary>Whether it took effect cannot be told (a password set whose answer was lost and could not be read back).</summary>
    Unknown,
}
