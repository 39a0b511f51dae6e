using MfaReset.Web.Http;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.OktaCalls;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;
using static MfaReset.Web.Reset.State.FlowSession;

namespace MfaReset.Web.Reset;

// Verification success, the one-time reset token, and the new password.
public sealed partial class ResetFlow
{
    private async Task<Verification> CompleteVerificationAsync(FlowState state, CancellationToken ct)
    {
        var who = origin.For(state);
        if (state.Purpose == FlowPurpose.CallerCheck)
        {
            // The help desk lifts a pause as an action of its own (confirmed, audited), not as a side effect of the check.
            return await EndCallerCheckAsync(state, who, ct).ConfigureAwait(false);
        }

        await Pause.ClearAsync(state.SubjectKey, ct).ConfigureAwait(false);
        var check = await RefusalAfterVerificationAsync(state, who, ct).ConfigureAwait(false);
        if (check.Refused is { } refused)
        {
            return refused;
        }

        if (state.Purpose == FlowPurpose.Unlock)
        {
            return await UnlockAfterVerificationAsync(state, who, ct).ConfigureAwait(false);
        }

        if (check.SecondCheckRequired && state.FirstVerifiedChoice is null)
        {
            return await AskForSecondMethodAsync(state, who, ct).ConfigureAwait(false);
        }

        // Rotate the flow key on the privilege change and issue the token; only the hash is stored.
        var secret = FlowSecrets.NewSecret();
        var token = FlowSecrets.NewSecret();
        var now = Now;
        var tokenExpiresAt = now + Options.TokenLifetime < state.ExpiresAt ? now + Options.TokenLifetime : state.ExpiresAt;
        var step = await Records.UpdateAsync(state, s => IsSameVerification(s, state)
            ? Change(s with
            {
                Key = FlowSecrets.KeyOf(secret),
                Stage = FlowStage.Verified,
                Push = null,
                VerifyingUntil = null,
                TokenHash = FlowSecrets.Hash(token),
                TokenExpiresAt = tokenExpiresAt,
                TokenState = TokenState.Unused,
                PasswordRules = check.PasswordRules,
            }, true)
            : NoChange(s, false), ct).ConfigureAwait(false);
        if (!step.Outcome)
        {
            return new Verification(null, step.Problem ?? FlowProblem.StartAgain);
        }

        var verified = step.State!;

        // The newest token for a person revokes older ones (checked at the password step).
        await store.SetLeaseAsync(FlowKeys.Token(verified.SubjectKey), verified.Key, Options.TokenLifetime, ct).ConfigureAwait(false);
        logger.TokenIssued(who, tokenExpiresAt);
        return new Verification(new VerifiedCredentials(secret, token), null);
    }

    /// <param name="Credentials">The verified flow's new cookie and token, on success.</param>
    /// <param name="Problem">Why the flow cannot go on, otherwise.</param>
    /// <param name="Until">When the refusal ends, for a refusal that does (<see cref="FlowProblem.PasswordTooNew"/>).</param>
    private sealed record Verification(VerifiedCredentials? Credentials, FlowProblem? Problem, DateTimeOffset? Until = null);

    /// <summary>
    /// A help desk's caller check ends verified: the key rotates as for a reset, and no token is issued, so the
    /// flow can never set a password (whoever held its key).
    /// </summary>
    private async Task<Verification> EndCallerCheckAsync(FlowState state, AuditActor who, CancellationToken ct)
    {
        var secret = FlowSecrets.NewSecret();
        var step = await Records.UpdateAsync(state, s => IsSameVerification(s, state)
            ? Change(s with { Key = FlowSecrets.KeyOf(secret), Stage = FlowStage.Verified, Push = null, VerifyingUntil = null }, true)
            : NoChange(s, false), ct).ConfigureAwait(false);
        if (!step.Outcome)
        {
            return new Verification(null, step.Problem ?? FlowProblem.StartAgain);
        }

        MfaReset.Web.HelpDesk.HelpDeskAudit.CallerVerified(logger, who.FlowRef, who.Subject, who.ClientIp, who.UserAgent);
        return new Verification(new VerifiedCredentials(secret, null), null);
    }

    /// <summary>
    /// The first of two methods is verified: back to the menu without it, with a new flow key (the flow now
    /// holds a verified method). No token: the password page stays closed until a second, different method succeeds.
    /// </summary>
    private async Task<Verification> AskForSecondMethodAsync(FlowState state, AuditActor who, CancellationToken ct)
    {
        var secret = FlowSecrets.NewSecret();
        // The first method is the one Okta verified (the state the check began with), never whatever the flow
        // holds by the time of this write.
        var verified = state.Chosen?.ChoiceKey;
        var step = await Records.UpdateAsync(state, s => IsSameVerification(s, state)
            ? Change(s with
            {
                Key = FlowSecrets.KeyOf(secret),
                Stage = FlowStage.Identified,
                FirstVerifiedChoice = verified,
                Chosen = null,
                Push = null,
                CodeSentFor = null,
                VerifyingUntil = null,
            }, true)
            : NoChange(s, false), ct).ConfigureAwait(false);
        if (!step.Outcome)
        {
            return new Verification(null, step.Problem ?? FlowProblem.StartAgain);
        }

        logger.SecondMethodNeeded(who);
        return new Verification(new VerifiedCredentials(secret, null) { SecondMethodNeeded = true }, null);
    }

    /// <summary>
    /// A refusal, or the applicable policy's password rules (null when the policy is not followed) and whether a
    /// second, different method is required (<see cref="ResetOptions.MethodsRequired"/> 2, or the rule's step-up).
    /// </summary>
    private sealed record AfterVerificationCheck(Verification? Refused, IReadOnlyList<PasswordRule>? PasswordRules, bool SecondCheckRequired = false);

    /// <summary>
    /// An unlock flow's verification: the flow ends (its key rotated, as on any verification) before Okta
    /// is asked, so of concurrent verifications exactly one unlocks. A person whose account was locked out
    /// when the flow started is unlocked (<c>POST .../lifecycle/unlock</c>); anyone else is told the account
    /// was not locked. No password is set, no token issued, and sessions are left alone: the person proved
    /// a factor, not that the password is still theirs alone, and ending sessions would sign out the very
    /// devices they use (README, "Unlocking an account").
    /// </summary>
    private async Task<Verification> UnlockAfterVerificationAsync(FlowState state, AuditActor who, CancellationToken ct)
    {
        var userId = state.OktaUserId ?? throw new InvalidOperationException("Only flows of known users are verified.");
        var secret = FlowSecrets.NewSecret();
        var step = await Records.UpdateAsync(state, s => IsSameVerification(s, state)
            ? Change(Ended(s, FlowStage.Unlocked, null) with { Key = FlowSecrets.KeyOf(secret), AccountUnlocked = s.WasLockedOut }, true)
            : NoChange(s, false), ct).ConfigureAwait(false);
        if (!step.Outcome)
        {
            return new Verification(null, step.Problem ?? FlowProblem.StartAgain);
        }

        var ended = step.State!;
        await store.ReleaseLeaseAsync(FlowKeys.PushOpen(state.SubjectKey), state.Key, ct).ConfigureAwait(false);
        if (!state.WasLockedOut)
        {
            logger.AccountUnlock(who, "not-locked");
            metrics.FlowEnded(FlowStage.Unlocked, null);
            return new Verification(new VerifiedCredentials(secret, null), null);
        }

        var unlock = await okta.UnlockUserAsync(userId, ct).ConfigureAwait(false);
        if (unlock is OktaResult<NoContent>.Ok)
        {
            logger.AccountUnlock(who, "unlocked");
            metrics.FlowEnded(FlowStage.Unlocked, null);
            await notices.QueueAsync(Notifications.NoticeKind.AccountUnlocked, userId, state.Chosen, origin).ConfigureAwait(false);
            return new Verification(new VerifiedCredentials(secret, null), null);
        }

        // The account is still locked: the done page must not say otherwise. The person may start again.
        Records.LogReadFailure(FlowOktaCall.Unlock, unlock);
        logger.AccountUnlock(who, "failed-" + unlock.GetType().Name);
        var problem = unlock switch
        {
            OktaResult<NoContent>.Throttled => FlowProblem.Busy,
            OktaResult<NoContent>.Failed { Error.Refusal: { } refusal } when RefusalProblem(refusal) is { } refused => refused,
            _ => FlowProblem.Unavailable,
        };
        await Records.UpdateAsync(ended, s => s.Stage == FlowStage.Unlocked
            ? Change(s with { Stage = FlowStage.Failed, Problem = problem, AccountUnlocked = false }, true)
            : NoChange(s, false), ct).ConfigureAwait(false);
        return new Verification(null, problem);
    }

    /// <summary>
    /// Why a verified person is not offered a new password, if they are not: their password is not Okta's
    /// to set (help desk), they have none (identity provider), or they hold an Okta admin role and
    /// <see cref="ResetOptions.AllowAdmins"/> is off. Only now, after verification, is any of this shown.
    /// When the roles cannot be read the flow is kept as it is and the person may try again later.
    /// </summary>
    private async Task<AfterVerificationCheck> RefusalAfterVerificationAsync(FlowState state, AuditActor who, CancellationToken ct)
    {
        IReadOnlyList<PasswordRule>? rules = null;
        var secondCheck = false;
        DateTimeOffset? until = null;
        var userId = state.OktaUserId ?? throw new InvalidOperationException("Only flows of known users are verified.");
        var unlocking = state.Purpose == FlowPurpose.Unlock;
        var problem = state.AfterVerification switch
        {
            // Okta's unlock "doesn't support directory-sourced accounts such as Active Directory" (spec, unlockUser):
            // neither an unlock nor a reset that would have to unlock is started for them.
            _ when (unlocking || state.WasLockedOut) && IsDirectorySourced(state.PasswordProvider) => FlowProblem.DirectoryUnlock,
            AfterVerification.HelpDesk => FlowProblem.HelpDesk,
            AfterVerification.IdentityProvider => FlowProblem.IdentityProvider,
            _ => (FlowProblem?)null,
        };
        if (problem is null && !Options.AllowAdmins)
        {
            switch (await IsAdminAsync(userId, ct).ConfigureAwait(false))
            {
                case AdminReading.Known { IsAdmin: true }:
                    problem = FlowProblem.AdminAccount;
                    break;
                case AdminReading.Unreadable unreadable:
                    // Fail closed: without the roles nobody is given a token.
                    return new AfterVerificationCheck(new Verification(null, unreadable.Throttled ? FlowProblem.Busy : FlowProblem.Unavailable), null);
            }
        }

        if (problem is null && Options.FollowOktaRecoveryPolicy)
        {
            switch (await recoveryPolicy.ForUserAsync(userId, state.PasswordProvider, origin.ClientIp, ct).ConfigureAwait(false))
            {
                case RecoveryRuleReading.Found { Rule: var rule }:
                    logger.RecoveryRuleApplied(who, rule.PolicyName, rule.RuleName ?? "-", rule.ResetAllowed);
                    if (unlocking ? !rule.UnlockAllowed : !rule.ResetAllowed)
                    {
                        problem = unlocking ? FlowProblem.UnlockNotAllowed : FlowProblem.ResetNotAllowed;
                    }
                    else if (state.WasLockedOut && !rule.UnlockAllowed)
                    {
                        // Okta's own recovery refuses a locked-out account unless the rule allows self-service unlock.
                        problem = FlowProblem.UnlockNotAllowed;
                    }
                    else if (state.Chosen is not { } chosen || !MayVerify(rule, chosen.Kind, secondCheck: state.FirstVerifiedChoice is not null))
                    {
                        problem = FlowProblem.MethodNotAllowed;
                    }
                    else if (!unlocking && rule.NewPasswordAllowedFrom(state.OktaPasswordChanged, Now) is { } allowedFrom)
                    {
                        // Okta would refuse every password (strict=true): say when, before a second check or a password attempt.
                        problem = FlowProblem.PasswordTooNew;
                        until = allowedFrom;
                    }
                    else
                    {
                        rules = rule.PasswordRules;
                        secondCheck = rule.SecondCheckRequired;
                    }

                    break;
                case RecoveryRuleReading.Unreadable unreadable:
                    // Fail closed: without the rule nobody is given a token; the flow is kept to try again.
                    return new AfterVerificationCheck(new Verification(null, unreadable.Throttled ? FlowProblem.Busy : FlowProblem.Unavailable), null);
            }
        }

        if (problem is not { } refusal)
        {
            return new AfterVerificationCheck(null, rules, state.Purpose != FlowPurpose.Unlock && (secondCheck || Options.MethodsRequired == 2));
        }

        logger.ResetNotOffered(who, ProblemPages.SlugOf(refusal));
        await Records.EndAsync(state, FlowStage.Failed, refusal, ct).ConfigureAwait(false);
        return new AfterVerificationCheck(new Verification(null, refusal, until), null);
    }

    /// <summary>Whether the rule lets <paramref name="kind"/> start recovery, or (<paramref name="secondCheck"/>) be its second check.</summary>
    private static bool MayVerify(RecoveryRule rule, FactorKind kind, bool secondCheck) =>
        secondCheck && rule.SecondCheckRequired ? rule.SecondCheckMethods?.Contains(kind) ?? true : rule.Methods.Contains(kind);

    /// <summary>An account whose password an Active Directory or LDAP directory holds (<c>credentials.provider.type</c>).</summary>
    private static bool IsDirectorySourced(string? provider) => provider is "ACTIVE_DIRECTORY" or "LDAP";

    /// <summary>By the org's list of administrators, or by the person's own roles (<see cref="AdminCheckMode.PerReset"/>).</summary>
    private async Task<AdminReading> IsAdminAsync(string userId, CancellationToken ct)
    {
        if (Options.AdminCheck == AdminCheckMode.OrgList)
        {
            return await adminList.IsAdminAsync(userId, ct).ConfigureAwait(false);
        }

        var roles = await okta.ListAssignedRolesAsync(userId, ct).ConfigureAwait(false);
        if (roles is OktaResult<IReadOnlyList<OktaRole>>.Ok { Value.Count: var count })
        {
            return new AdminReading.Known(count > 0);
        }

        Records.LogReadFailure(FlowOktaCall.ListAssignedRoles, roles);
        return new AdminReading.Unreadable(roles is OktaResult<IReadOnlyList<OktaRole>>.Throttled);
    }

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

        if (await CheckTokenAsync(loaded, resetToken, cancellationToken).ConfigureAwait(false) is { } refused)
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
            : NoChange(s, false), cancellationToken).ConfigureAwait(false);
        if (!claim.Outcome)
        {
            logger.TokenRefused(origin.For(loaded), "in-use");
            return new ChangePasswordResult.Failed(claim.Problem ?? FlowProblem.AlreadyUsed);
        }

        var state = claim.State!;
        if (await PasswordChangedElsewhereAsync(state, cancellationToken).ConfigureAwait(false) is { } elsewhere)
        {
            return new ChangePasswordResult.Failed(elsewhere);
        }

        var userId = state.OktaUserId ?? throw new InvalidOperationException("Only flows of known users reach Verified.");
        var who = origin.For(state);
        var sentAt = Now;
        var result = await okta.SetPasswordAsync(userId, newPassword, cancellationToken).ConfigureAwait(false);
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
    /// Reads the user once before the set and compares Okta's <c>passwordChanged</c> with what the flow read
    /// when it started. Moved: someone set the password elsewhere since (the help desk, an admin, Okta
    /// itself), so the token ends and nothing is sent. Unreadable: nothing is sent, and the token and the
    /// attempt are given back for a retry. Runs with the token claimed, so a concurrent submit of the same
    /// flow can never read this one's own change as a change made elsewhere.
    /// </summary>
    private async Task<FlowProblem?> PasswordChangedElsewhereAsync(FlowState state, CancellationToken ct)
    {
        var userId = state.OktaUserId ?? throw new InvalidOperationException("Only flows of known users reach Verified.");
        var read = await okta.GetUserAsync(userId, ct).ConfigureAwait(false);
        switch (read)
        {
            case OktaResult<OktaUser>.Ok { Value.PasswordChanged: var changed } when changed == state.OktaPasswordChanged:
                return null;
            case OktaResult<OktaUser>.Ok or OktaResult<OktaUser>.NotFound:
                var problem = read is OktaResult<OktaUser>.Ok ? FlowProblem.PasswordChangedElsewhere : FlowProblem.StartAgain;
                logger.TokenRefused(origin.For(state), read is OktaResult<OktaUser>.Ok ? "password-changed-elsewhere" : "user-gone");
                await Records.EndAsync(state, FlowStage.Failed, problem, ct).ConfigureAwait(false);
                return problem;
            default:
                Records.LogReadFailure(FlowOktaCall.GetUser, read);
                await Records.UpdateAsync(state, s => s.TokenState == TokenState.InProgress
                    ? Change(s with { TokenState = TokenState.Unused, PasswordAttempts = s.PasswordAttempts - 1 }, true)
                    : NoChange(s, false), ct).ConfigureAwait(false);
                return read is OktaResult<OktaUser>.Throttled ? FlowProblem.Busy : FlowProblem.Unavailable;
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
        var ended = await Records.EndAsync(state, FlowStage.PasswordChanged, null, ct).ConfigureAwait(false);
        await store.ReleaseLeaseAsync(FlowKeys.Token(state.SubjectKey), state.Key, ct).ConfigureAwait(false);
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

    private async Task<FlowProblem?> CheckTokenAsync(FlowState state, string? resetToken, CancellationToken ct)
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

        if (!string.Equals(await store.GetLeaseHolderAsync(FlowKeys.Token(state.SubjectKey), ct).ConfigureAwait(false), state.Key, StringComparison.Ordinal))
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

        return null;
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
