using MfaReset.Web.Notifications;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;

namespace MfaReset.Web.HelpDesk;

/// <summary>One of the person's flows as the console lists it: no keys, no Okta ids beyond the person's own.</summary>
public sealed record FlowSummary(string PublicId, FlowPurpose Purpose, FlowStage Stage, FlowProblem? Problem, DateTimeOffset CreatedAt, DateTimeOffset LastActivityAt, FactorKind? Method)
{
    public static FlowSummary Of(FlowState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state.PublicId, state.Purpose, state.Stage, state.Problem, state.CreatedAt, state.LastActivityAt, state.Chosen?.Kind);
    }
}

/// <summary>What the console shows of a verified caller: Okta's view and the portal's own record.</summary>
public sealed record PersonView(
    OktaUser User,
    IReadOnlyList<OktaFactor> Factors,
    DateTimeOffset? PausedUntil,
    IReadOnlyList<FlowSummary> Flows,
    IReadOnlyList<DateTimeOffset> Sends,
    IReadOnlyList<DateTimeOffset> Pushes,
    bool UnlockAllowedByRule,
    IReadOnlyList<WasntMeReport> WasntMeReports);

/// <summary>The person view, or why there is none.</summary>
public abstract record PersonViewResult
{
    private PersonViewResult()
    {
    }

    public sealed record Ready(PersonView View) : PersonViewResult;

    /// <summary>No verified caller on this call (never verified, or <see cref="HelpDeskOptions.VerifiedFor"/> has passed).</summary>
    public sealed record NotVerified : PersonViewResult;

    public sealed record Failed(FlowProblem Problem) : PersonViewResult;
}

/// <summary>The console's actions on a verified caller's account.</summary>
public enum HelpDeskAction
{
    LiftPause,
    Unlock,
    EndSessions,
}

/// <summary>What an action did.</summary>
public enum ActionOutcome
{
    Done,

    /// <summary>Nothing to do: the account is not locked out.</summary>
    NotNeeded,

    /// <summary>The org's rule does not allow it.</summary>
    NotAllowed,

    /// <summary>The caller is not verified on this call (any more).</summary>
    NotVerified,

    /// <summary>Okta did not do it; nothing changed.</summary>
    Failed,
}

/// <summary>
/// The verified caller's record and the console's three actions, each audited: lift the portal's verification
/// pause, unlock the account in Okta (only when it is locked out and the org's rule allows self-service unlock),
/// end the person's Okta sessions. Nothing here sets a password. Every member refuses a call that is not verified.
/// </summary>
public sealed class PersonRecord(
    IOktaClient okta,
    IFlowStore store,
    IFlowHistory history,
    OrgRecoveryPolicy recoveryPolicy,
    PauseLift pauseLift,
    IWasntMeReports wasntMeReports,
    TimeProvider timeProvider,
    IOptions<ResetOptions> resetOptions,
    RequestOrigin origin,
    ILogger<PersonRecord> logger)
{
    /// <summary>How many of the person's flows the console lists.</summary>
    public const int FlowsShown = 10;

    public async Task<PersonViewResult> GetAsync(CallRecord call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!call.IsVerifiedAt(timeProvider.GetUtcNow()))
        {
            return new PersonViewResult.NotVerified();
        }

        var user = await okta.GetUserAsync(call.PersonId, ct).ConfigureAwait(false);
        if (user is not OktaResult<OktaUser>.Ok { Value: var found })
        {
            return new PersonViewResult.Failed(user is OktaResult<OktaUser>.Throttled ? FlowProblem.Busy : FlowProblem.Unavailable);
        }

        var factors = await okta.ListFactorsAsync(found.Id, ct).ConfigureAwait(false) is OktaResult<IReadOnlyList<OktaFactor>>.Ok { Value: var list } ? list : [];
        var subject = FlowKeys.UserSubject(found.Id);
        var flows = await history.FlowsOfAsync(subject, FlowsShown, ct).ConfigureAwait(false);
        return new PersonViewResult.Ready(new PersonView(
            found,
            factors,
            await PausedUntilAsync(subject, ct).ConfigureAwait(false),
            [.. flows.Select(FlowSummary.Of)],
            await history.EventTimesAsync(FlowKeys.Sends(subject), ct).ConfigureAwait(false),
            await history.EventTimesAsync(FlowKeys.Pushes(subject), ct).ConfigureAwait(false),
            await UnlockAllowedAsync(found, ct).ConfigureAwait(false),
            await wasntMeReports.ListAsync(found.Id, ct).ConfigureAwait(false)));
    }

    /// <summary>Runs one action for a verified caller and audits it.</summary>
    public async Task<ActionOutcome> ActAsync(Agent agent, CallRecord call, HelpDeskAction action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(call);
        var outcome = !call.IsVerifiedAt(timeProvider.GetUtcNow())
            ? ActionOutcome.NotVerified
            : action switch
            {
                HelpDeskAction.LiftPause => await LiftPauseAsync(call, ct).ConfigureAwait(false),
                HelpDeskAction.Unlock => await UnlockAsync(call, ct).ConfigureAwait(false),
                HelpDeskAction.EndSessions => await EndSessionsAsync(call, ct).ConfigureAwait(false),
                _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not a console action."),
            };
        logger.ActionTaken(agent.Id, agent.Login, action.ToString(), call.PersonId, outcome.ToString(), origin.ClientIp);
        return outcome;
    }

    /// <summary>Until when the person's verification pause holds, or null when none is on.</summary>
    private async Task<DateTimeOffset?> PausedUntilAsync(string subject, CancellationToken ct)
    {
        if (await store.GetLeaseHolderAsync(FlowKeys.PauseEpoch(subject), ct).ConfigureAwait(false) is not { } epoch)
        {
            return null;
        }

        var limits = resetOptions.Value.Limits;
        var now = timeProvider.GetUtcNow();
        var failures = (await history.EventTimesAsync(FlowKeys.Unverified(subject, epoch), ct).ConfigureAwait(false))
            .Where(at => at > now - limits.PauseDuration).ToList();
        return failures.Count >= ResetLimits.ConsecutiveFailures ? failures[0] + limits.PauseDuration : null;
    }

    private async Task<bool> UnlockAllowedAsync(OktaUser user, CancellationToken ct) =>
        await recoveryPolicy.ForUserAsync(user.Id, user.CredentialsProviderType, origin.ClientIp, ct).ConfigureAwait(false) is RecoveryRuleReading.Found { Rule.UnlockAllowed: true };

    private async Task<ActionOutcome> LiftPauseAsync(CallRecord call, CancellationToken ct) =>
        await pauseLift.LiftAsync(call.Username, ct).ConfigureAwait(false) == PauseLiftOutcome.Lifted ? ActionOutcome.Done : ActionOutcome.Failed;

    private async Task<ActionOutcome> UnlockAsync(CallRecord call, CancellationToken ct)
    {
        // Okta's status now, not the page's: the person may have been unlocked since.
        if (await okta.GetUserAsync(call.PersonId, ct).ConfigureAwait(false) is not OktaResult<OktaUser>.Ok { Value: var user })
        {
            return ActionOutcome.Failed;
        }

        if (user.Status != OktaUserStatus.LockedOut)
        {
            return ActionOutcome.NotNeeded;
        }

        if (!await UnlockAllowedAsync(user, ct).ConfigureAwait(false))
        {
            return ActionOutcome.NotAllowed;
        }

        return await okta.UnlockUserAsync(user.Id, ct).ConfigureAwait(false) is OktaResult<NoContent>.Ok ? ActionOutcome.Done : ActionOutcome.Failed;
    }

    private async Task<ActionOutcome> EndSessionsAsync(CallRecord call, CancellationToken ct) =>
        await okta.RevokeSessionsAsync(call.PersonId, resetOptions.Value.RevokeOAuthTokens, resetOptions.Value.ForgetDevices, ct).ConfigureAwait(false) is OktaResult<NoContent>.Ok
            ? ActionOutcome.Done
            : ActionOutcome.Failed;
}
