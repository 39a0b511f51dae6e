using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.OktaCalls;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;
using static MfaReset.Web.Reset.State.FlowSession;

namespace MfaReset.Web.Reset;

// The password step: the reset token checked, the new password set (or its lost answer settled), the done page.
public sealed partial class ResetFlow
{
    /// <summary>Whether the password page may be shown for this cookie and token. Calls nothing.</summary>
    public async Task<PasswordStepResult> GetPasswordStepAsync(string? flowSecret, string? resetToken, CancellationToken cancellationToken)
    {
        var (state, problem) = await Records.LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return new PasswordStepResult.Failed(problem ?? FlowProblem.StartAgain);
        }

        return await CheckTokenAsync(state, resetToken, cancellationToken).ConfigureAwait(false) is { } refused
            ? new PasswordStepResult.Failed(refused)
            : new PasswordStepResult.Ready(Limits.PasswordAttemptsPerToken - state.PasswordAttempts) { PolicyRules = PolicyRulesOf(state), PersonalWords = state.PersonalWords ?? [] };
    }

    /// <summary>The password policy's lines for the checklist: the applicable Okta policy's, else the configured complexity's and sentences.</summary>
    private IReadOnlyList<PasswordRule> PolicyRulesOf(FlowState state) => state.PasswordRules
        ?? [.. Options.PasswordComplexity is { } configured ? PasswordRule.From(configured.ToOkta()) : [], .. Options.PasswordPolicy.Select(PasswordRule.Configured)];

    /// <summary>
    /// Sets the new password. The token moves Unused → InProgress atomically before the Okta call, so of
    /// concurrent submits exactly one reaches Okta. A policy rejection puts it back to Unused (up to
    /// <see cref="ResetLimits.PasswordAttemptsPerToken"/> tries); an unknown outcome is never re-sent but
    /// settled by reading the user back (<see cref="ReconcileAsync"/>).
    /// </summary>
    public async Task<ChangePasswordResult> ChangePasswordAsync(string? flowSecret, string? resetToken, string newPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newPassword);
        var (loaded, problem) = await Records.LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            return new ChangePasswordResult.Failed(await SubmittedAfterChangeAsync(flowSecret, problem, cancellationToken).ConfigureAwait(false));
        }

        // The token's lease (the person's live token) is required by the claim below, in its own write.
        if (await CheckTokenAsync(loaded, resetToken, cancellationToken, readLease: false).ConfigureAwait(false) is { } refused)
        {
            return new ChangePasswordResult.Failed(refused);
        }

        if (newPassword.Length == 0 || newPassword.Length > Options.MaxPasswordLength)
        {
            throw new ArgumentException("The page validates the password length before calling the flow.", nameof(newPassword));
        }

        // The portal's own checks first: a refused password reaches no Okta call and spends no attempt.
        var verdict = await passwordChecks.CheckAsync(newPassword, loaded.PersonalWords ?? [], PolicyRulesOf(loaded), cancellationToken).ConfigureAwait(false);
        if (!verdict.Passed)
        {
            logger.PasswordRefused(origin.For(loaded), string.Join(',', verdict.Weaknesses));
            return new ChangePasswordResult.Weak(verdict.Weaknesses) { FailedRules = verdict.FailedRules };
        }

        var claim = await Records.UpdateAsync(loaded, s => s.Stage == FlowStage.Verified && s.TokenState == TokenState.Unused
            ? Change(s with { TokenState = TokenState.InProgress, PasswordAttempts = s.PasswordAttempts + 1 }, true)
            : NoChange(s, false), new StoreWrites { Requires = [new LeaseCondition(FlowKeys.Token(loaded.SubjectKey), loaded.Key)] }, cancellationToken).ConfigureAwait(false);
        if (claim.RequiredLeaseMissing)
        {
            return new ChangePasswordResult.Failed(await TokenNotLiveAsync(claim.State!, origin.For(loaded), cancellationToken).ConfigureAwait(false));
        }

        if (!claim.Outcome)
        {
            // Another submit of this flow holds the token or has used it (and ended the flow): the token is used.
            logger.TokenRefused(origin.For(loaded), "in-use");
            return new ChangePasswordResult.Failed(claim.Problem is null or FlowProblem.Completed ? FlowProblem.AlreadyUsed : claim.Problem.Value);
        }

        var state = claim.State!;
        var userId = state.OktaUserId ?? throw new InvalidOperationException("Only flows of known users reach Verified.");
        var who = origin.For(state);
        var send = await SendPasswordAsync(state, userId, newPassword, who, cancellationToken).ConfigureAwait(false);
        if (send is PasswordSend.Refused refusedBeforeSet)
        {
            return new ChangePasswordResult.Failed(refusedBeforeSet.Problem);
        }

        var (result, sentAt) = (PasswordSend.Answered)send;
        switch (result)
        {
            case SetPasswordResult.Changed:
                logger.PasswordChange(who, "changed");
                metrics.PasswordChange(MetricOutcome.Success, readBack: false);
                return await FinishChangeAsync(state, userId, who, cancellationToken).ConfigureAwait(false);
            case SetPasswordResult.Rejected rejected:
                logger.PasswordChange(who, "policy-rejected");
                metrics.PasswordChange(MetricOutcome.Rejected, readBack: false);
                var left = Limits.PasswordAttemptsPerToken - state.PasswordAttempts;
                if (left <= 0)
                {
                    return new ChangePasswordResult.Failed(await Records.LockAsync(state, "password-attempts", cancellationToken).ConfigureAwait(false));
                }

                await ReleaseTokenAsync(state, cancellationToken).ConfigureAwait(false);
                return new ChangePasswordResult.Rejected(rejected.Reasons, left);
            case SetPasswordResult.Throttled throttled:
                Records.LogOktaError(FlowOktaCall.SetPassword, throttled.Error);
                await ReleaseTokenAsync(state, cancellationToken).ConfigureAwait(false);
                return new ChangePasswordResult.Failed(FlowProblem.Busy);
            case SetPasswordResult.Unavailable { Reason.RequestMayHaveReachedOkta: true } unknown:
                // Okta may have changed it. Never re-send: ask Okta what happened (docs/security-decisions.md, "Password set with an unknown outcome").
                Records.LogUnavailable(FlowOktaCall.SetPassword, unknown.Reason);
                return await ReconcileAsync(state, userId, who, sentAt, cancellationToken).ConfigureAwait(false);
            case SetPasswordResult.Unavailable notSent:
                Records.LogUnavailable(FlowOktaCall.SetPassword, notSent.Reason);
                await ReleaseTokenAsync(state, cancellationToken).ConfigureAwait(false);
                return new ChangePasswordResult.Failed(FlowProblem.Unavailable);
            case SetPasswordResult.Failed { Error.Refusal: { } refusal } failed when RefusalProblem(refusal) is { } refusedAs:
                // The account's status forbids it (help desk) or it is still being activated (a try later): nothing was set.
                Records.LogOktaError(FlowOktaCall.SetPassword, failed.Error);
                await ReleaseTokenAsync(state, cancellationToken).ConfigureAwait(false);
                return new ChangePasswordResult.Failed(await EndUnlessKeptAsync(state, refusedAs, cancellationToken).ConfigureAwait(false));
            case SetPasswordResult.Failed failed:
                Records.LogOktaError(FlowOktaCall.SetPassword, failed.Error);
                await ReleaseTokenAsync(state, cancellationToken).ConfigureAwait(false);
                return new ChangePasswordResult.Failed(FlowProblem.Unavailable);
            default:
                throw new InvalidOperationException($"Unexpected {result.GetType().Name}.");
        }
    }

    /// <summary>
    /// Sends the password so that a password set elsewhere since the flow's start read is never overwritten.
    /// With the start read's <c>ETag</c> the set is conditional (<c>If-Match</c>) and needs no read before it.
    /// A 412 says only that the user changed: the read then tells whether the password did (the token ends,
    /// nothing is set) or something else did (profile, last sign-in, an unlock): the set goes once more on the
    /// fresh version, and if that is refused too (the user keeps changing, or an org that honours no weak
    /// tag) once without <c>If-Match</c>, which the read just before it guards as a read before any set
    /// does. At most three sets and one read. Without an <c>ETag</c> (an org that sends none) the read
    /// comes first.
    /// </summary>
    private async Task<PasswordSend> SendPasswordAsync(FlowState state, string userId, string newPassword, AuditActor who, CancellationToken ct)
    {
        if (state.OktaUserETag is null && await ReadUnchangedUserAsync(state, ct).ConfigureAwait(false) is { Problem: { } unread })
        {
            return new PasswordSend.Refused(unread);
        }

        var first = await SendOnceAsync(userId, newPassword, state.OktaUserETag, ct).ConfigureAwait(false);
        if (first.Result is not SetPasswordResult.UserChanged)
        {
            return first;
        }

        logger.PasswordChange(who, "user-changed-since-start");
        var (problem, current) = await ReadUnchangedUserAsync(state, ct).ConfigureAwait(false);
        if (problem is { } changedElsewhere)
        {
            return new PasswordSend.Refused(changedElsewhere);
        }

        var second = await SendOnceAsync(userId, newPassword, current!.ETag, ct).ConfigureAwait(false);
        return second.Result is SetPasswordResult.UserChanged
            ? await SendOnceAsync(userId, newPassword, ifMatch: null, ct).ConfigureAwait(false)
            : second;
    }

    private async Task<PasswordSend.Answered> SendOnceAsync(string userId, string newPassword, OktaEntityTag? ifMatch, CancellationToken ct)
    {
        var sentAt = Now;
        return new PasswordSend.Answered(await okta.SetPasswordAsync(userId, newPassword, ifMatch, ct).ConfigureAwait(false), sentAt);
    }

    /// <summary>What sending the password came to.</summary>
    private abstract record PasswordSend
    {
        /// <summary>Okta's answer to the last set, and when that set was sent (for a lost answer's reconciliation).</summary>
        public sealed record Answered(SetPasswordResult Result, DateTimeOffset SentAt) : PasswordSend;

        /// <summary>No set applied: the read of the user found the password changed elsewhere or the user gone (the token ended), or failed (the token given back).</summary>
        public sealed record Refused(FlowProblem Problem) : PasswordSend;
    }

    /// <summary>
    /// Reads the user and compares Okta's <c>passwordChanged</c> with what the flow read when it started.
    /// Moved: someone set the password elsewhere since (the help desk, an admin, Okta itself), so the token
    /// ends and nothing is sent. Unreadable: nothing is sent, and the token and the attempt are given back
    /// for a retry. Unchanged: the user as read, whose <c>ETag</c> a set may name. Runs with the token
    /// claimed, so a concurrent submit of the same flow can never read this one's own change as a change made elsewhere.
    /// </summary>
    private async Task<(FlowProblem? Problem, OktaUser? User)> ReadUnchangedUserAsync(FlowState state, CancellationToken ct)
    {
        var userId = state.OktaUserId ?? throw new InvalidOperationException("Only flows of known users reach Verified.");
        var read = await okta.GetUserAsync(userId, ct).ConfigureAwait(false);
        switch (read)
        {
            case OktaResult<OktaUser>.Ok { Value: var user } when user.PasswordChanged == state.OktaPasswordChanged:
                return (null, user);
            case OktaResult<OktaUser>.Ok or OktaResult<OktaUser>.NotFound:
                var problem = read is OktaResult<OktaUser>.Ok ? FlowProblem.PasswordChangedElsewhere : FlowProblem.StartAgain;
                logger.TokenRefused(origin.For(state), read is OktaResult<OktaUser>.Ok ? "password-changed-elsewhere" : "user-gone");
                await Records.EndAsync(state, FlowStage.Failed, problem, ct).ConfigureAwait(false);
                return (problem, null);
            default:
                Records.LogReadFailure(FlowOktaCall.GetUser, read);
                await Records.UpdateAsync(state, s => s.TokenState == TokenState.InProgress
                    ? Change(s with { TokenState = TokenState.Unused, PasswordAttempts = s.PasswordAttempts - 1 }, true)
                    : NoChange(s, false), ct).ConfigureAwait(false);
                return (read is OktaResult<OktaUser>.Throttled ? FlowProblem.Busy : FlowProblem.Unavailable, null);
        }
    }

    /// <summary>
    /// Why a submit of an ended flow is refused. A flow that already changed the password (the form of a
    /// second tab, or the same form sent again) says so rather than leading to the done page, which would
    /// claim that the password just typed was set.
    /// </summary>
    private async Task<FlowProblem> SubmittedAfterChangeAsync(string? flowSecret, FlowProblem? problem, CancellationToken ct) =>
        problem == FlowProblem.Completed
            && await Records.GetAsync(FlowSecrets.KeyOf(flowSecret!), ct).ConfigureAwait(false) is { Stage: FlowStage.PasswordChanged }
            ? FlowProblem.ChangedInAnotherTab
            : problem ?? FlowProblem.StartAgain;

    /// <summary>
    /// The password is changed: the token is used up, then the account is unlocked and signed out as
    /// configured, and the ended flow records what of that happened, for the done page.
    /// </summary>
    private async Task<ChangePasswordResult> FinishChangeAsync(FlowState state, string userId, AuditActor who, CancellationToken ct)
    {
        // The ended flow as stored, not read back: only this request writes a flow that has changed its password.
        var ended = await Records.EndAsync(state, FlowStage.PasswordChanged, null,
            new StoreWrites { ReleaseLeases = [new LeaseRelease(FlowKeys.Token(state.SubjectKey), state.Key)] }, ct).ConfigureAwait(false);
        var (unlocked, revoked) = await AfterChangeAsync(state, userId, who, ct).ConfigureAwait(false);
        await notices.QueueAsync(Notifications.NoticeKind.PasswordReset, userId, state.Chosen, origin).ConfigureAwait(false);
        if (ended is { Stage: FlowStage.PasswordChanged })
        {
            await Records.UpdateAsync(ended, s => s.Stage == FlowStage.PasswordChanged
                ? Change(s with { AccountUnlocked = unlocked, SessionsRevoked = revoked }, true)
                : NoChange(s, false), ct).ConfigureAwait(false);
        }

        return new ChangePasswordResult.Changed();
    }

    /// <summary>What the done page may say: only a flow of this browser that changed the password, or was verified for an unlock, shows it. Calls nothing.</summary>
    public async Task<DoneResult> GetDoneAsync(string? flowSecret, CancellationToken cancellationToken)
    {
        var state = FlowSecrets.IsWellFormed(flowSecret)
            ? await Records.GetAsync(FlowSecrets.KeyOf(flowSecret!), cancellationToken).ConfigureAwait(false)
            : null;
        return state switch
        {
            { Stage: FlowStage.PasswordChanged } => new DoneResult.Done(state.AccountUnlocked, state.SessionsRevoked),
            { Stage: FlowStage.Unlocked } => new DoneResult.Unlocked(state.AccountUnlocked),
            _ => new DoneResult.Failed(FlowProblem.StartAgain),
        };
    }

    /// <summary>
    /// After a password set whose answer was lost, reads the user once (a GET the client may retry)
    /// and settles the outcome from <c>passwordChanged</c>; the password is never sent again here.
    /// Changed: finish as usual. Clearly not changed: the token is usable again for a new submit.
    /// Cannot tell: the token is ended and the person is told to try the new password.
    /// </summary>
    private async Task<ChangePasswordResult> ReconcileAsync(FlowState state, string userId, AuditActor who, DateTimeOffset sentAt, CancellationToken ct)
    {
        var read = await okta.GetUserAsync(userId, ct).ConfigureAwait(false);
        if (read is OktaResult<OktaUser>.Ok { Value: var user })
        {
            if (TookEffect(user.PasswordChanged, state.OktaPasswordChanged, sentAt))
            {
                logger.PasswordChange(who, "changed-confirmed-by-read");
                metrics.PasswordChange(MetricOutcome.Success, readBack: true);
                return await FinishChangeAsync(state, userId, who, ct).ConfigureAwait(false);
            }

            logger.PasswordChange(who, "not-changed-confirmed-by-read");
            metrics.PasswordChange(MetricOutcome.Failure, readBack: true);
            await ReleaseTokenAsync(state, ct).ConfigureAwait(false);
            return new ChangePasswordResult.NotChanged();
        }

        Records.LogReadFailure(FlowOktaCall.GetUser, read);
        logger.PasswordChange(who, "outcome-unknown");
        metrics.PasswordChange(MetricOutcome.Unknown, readBack: true);
        await Records.EndAsync(state, FlowStage.Failed, FlowProblem.NotConfirmed, ct).ConfigureAwait(false);
        return new ChangePasswordResult.Failed(FlowProblem.NotConfirmed);
    }

    /// <summary>
    /// Whether Okta's <c>passwordChanged</c> shows our set took effect: it moved since the flow read it, to
    /// an instant no earlier than just before we sent, less <see cref="ResetOptions.OktaClockSkew"/>
    /// (Okta stamps it on its own clock, which may run behind ours). A change Okta applied always stamps
    /// a later instant than our send, so anything older, or unchanged, means ours did not take effect.
    /// </summary>
    private bool TookEffect(DateTimeOffset? passwordChanged, DateTimeOffset? whenFlowStarted, DateTimeOffset sentAt) =>
        passwordChanged is { } changed
        && changed != whenFlowStarted
        && changed >= sentAt - Options.OktaClockSkew;

    /// <param name="readLease">Whether to read the token's lease here (the page); a submit requires it in its claim's write instead.</param>
    private async Task<FlowProblem?> CheckTokenAsync(FlowState state, string? resetToken, CancellationToken ct, bool readLease = true)
    {
        var who = origin.For(state);
        var subject = state.OktaUserId ?? Unknown;
        if (state.Stage != FlowStage.Verified)
        {
            return FlowProblem.StartAgain;
        }

        if (!FlowSecrets.Matches(resetToken, state.TokenHash))
        {
            logger.TokenRefused(who, "mismatch");
            return FlowProblem.StartAgain;
        }

        if (state.TokenState is TokenState.InProgress or TokenState.Used)
        {
            logger.TokenRefused(who, "replayed");
            return FlowProblem.AlreadyUsed;
        }

        if (state.TokenExpiresAt is not { } expiresAt || Now >= expiresAt)
        {
            logger.TokenRefused(who, "expired");
            await Records.EndAsync(state, FlowStage.Expired, FlowProblem.Expired, ct).ConfigureAwait(false);
            return FlowProblem.Expired;
        }

        if (readLease && !string.Equals(await store.GetLeaseHolderAsync(FlowKeys.Token(state.SubjectKey), ct).ConfigureAwait(false), state.Key, StringComparison.Ordinal))
        {
            return await TokenNotLiveAsync(state, who, ct).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>The token's lease is not this flow's: used by a concurrent submit of this flow, or superseded by a newer verification.</summary>
    private async Task<FlowProblem> TokenNotLiveAsync(FlowState state, AuditActor who, CancellationToken ct)
    {
        if (await store.GetAsync(state.Key, ct).ConfigureAwait(false) is { Stage: FlowStage.PasswordChanged } or { TokenState: TokenState.InProgress or TokenState.Used })
        {
            // Not superseded: a concurrent submit of this very flow used the token (and gave the lease back) since this one loaded it.
            logger.TokenRefused(who, "replayed");
            return FlowProblem.AlreadyUsed;
        }

        logger.TokenRefused(who, "superseded");
        await Records.EndAsync(state, FlowStage.Failed, FlowProblem.StartAgain, ct).ConfigureAwait(false);
        return FlowProblem.StartAgain;
    }

    private async Task ReleaseTokenAsync(FlowState state, CancellationToken ct) =>
        await Records.UpdateAsync(state, s => s.TokenState == TokenState.InProgress ? Change(s with { TokenState = TokenState.Unused }, true) : NoChange(s, false), ct).ConfigureAwait(false);

    private async Task<(bool Unlocked, bool SessionsRevoked)> AfterChangeAsync(FlowState state, string userId, AuditActor who, CancellationToken ct)
    {
        // Side effects never turn a completed change into a failure; they are logged for follow-up.
        var unlocked = false;
        var revoked = false;
        if (state.WasLockedOut)
        {
            var unlock = await okta.UnlockUserAsync(userId, ct).ConfigureAwait(false);
            unlocked = unlock is OktaResult<NoContent>.Ok;
            logger.AfterChange(who, "unlock", unlock.GetType().Name);
        }

        if (Options.RevokeSessions)
        {
            var revoke = await okta.RevokeSessionsAsync(userId, Options.RevokeOAuthTokens, Options.ForgetDevices, ct).ConfigureAwait(false);
            revoked = revoke is OktaResult<NoContent>.Ok;
            logger.AfterChange(who, "revoke-sessions", revoke.GetType().Name);
        }

        return (unlocked, revoked);
    }
}
