using MfaReset.Web.Http;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.OktaCalls;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;
using static MfaReset.Web.Reset.State.FlowSession;

namespace MfaReset.Web.Reset;

// Verification: what happens once a factor is verified (a second method asked for, a caller check ended, an
// unlock, the checks after verification: who sets the password, admin roles, the recovery rule, the password's
// minimum age) and the one-time reset token; and the mark that holds the flow's method while a verification runs.
public sealed partial class ResetFlow
{
    /// <summary>
    /// What follows a factor Okta verified. <paramref name="verifiedWrites"/> are the verifying step's own writes (its
    /// give-backs, the used code, the open push's leases), made first and in one store round trip with the end of the
    /// person's verification pause, whatever the outcome below.
    /// </summary>
    private async Task<Verification> CompleteVerificationAsync(FlowState state, StoreWrites verifiedWrites, CancellationToken ct)
    {
        var who = origin.For(state);
        if (state.Purpose == FlowPurpose.CallerCheck)
        {
            // The help desk lifts a pause as an action of its own (confirmed, audited), not as a side effect of the check.
            await store.ApplyAsync(verifiedWrites, ct).ConfigureAwait(false);
            return await EndCallerCheckAsync(state, who, ct).ConfigureAwait(false);
        }

        await store.ApplyAsync(verifiedWrites.And(VerificationPause.Cleared(state.SubjectKey)), ct).ConfigureAwait(false);
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
        var newKey = FlowSecrets.KeyOf(secret);

        // The newest token for a person revokes older ones (checked at the password step): its lease is taken in the
        // same store step as the flow's move to the new key, and only if the move wins.
        StoreWrites tokenLease = new() { SetLeases = [new LeaseHold(FlowKeys.Token(state.SubjectKey), newKey, Options.TokenLifetime)] };
        var step = await Records.UpdateAsync(state, s => IsSameVerification(s, state)
            ? Change(s with
            {
                Key = newKey,
                Stage = FlowStage.Verified,
                Push = null,
                VerifyingUntil = null,
                TokenHash = FlowSecrets.Hash(token),
                TokenExpiresAt = tokenExpiresAt,
                TokenState = TokenState.Unused,
                PasswordRules = check.PasswordRules,
            }, true)
            : NoChange(s, false), tokenLease, ct).ConfigureAwait(false);
        if (!step.Outcome)
        {
            return new Verification(null, step.Problem ?? FlowProblem.StartAgain);
        }

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
            : NoChange(s, false), new StoreWrites { ReleaseLeases = [new LeaseRelease(FlowKeys.PushOpen(state.SubjectKey), state.Key)] }, ct).ConfigureAwait(false);
        if (!step.Outcome)
        {
            return new Verification(null, step.Problem ?? FlowProblem.StartAgain);
        }

        var ended = step.State!;
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


    /// <summary>
    /// Until when a verification starting now holds the flow's method (<see cref="FlowState.VerifyingUntil"/>):
    /// all Okta calls of one request fit in <see cref="OktaOptions.TotalBudget"/>.
    /// </summary>
    private DateTimeOffset VerifyingDeadline => Now + oktaOptions.Value.TotalBudget;

    /// <summary>
    /// Whether <paramref name="current"/> still waits on the very verification that began as <paramref name="verifying"/>:
    /// the same method, the same push and the same sent code, and not the method verified first. Only then is Okta's
    /// success written, so one approval or code never counts for another method.
    /// </summary>
    private static bool IsSameVerification(FlowState current, FlowState verifying) =>
        current.Stage == FlowStage.Challenged
        && verifying.Chosen?.ChoiceKey is { } method
        && string.Equals(current.Chosen?.ChoiceKey, method, StringComparison.Ordinal)
        && !string.Equals(current.FirstVerifiedChoice, method, StringComparison.Ordinal)
        && current.Push?.SentAt == verifying.Push?.SentAt
        && string.Equals(current.Push?.PollHandle, verifying.Push?.PollHandle, StringComparison.Ordinal)
        && string.Equals(current.CodeSentFor, verifying.CodeSentFor, StringComparison.Ordinal);

    /// <summary>
    /// The verification that set <paramref name="verifying"/>'s mark has its answer written, or gave up: the method
    /// may change again. A success's write already cleared the mark (and rotated the key): nothing to do, nothing
    /// read. Otherwise one compare-and-set on the state the mark was set in (a read only when something wrote
    /// since). Runs even when the request was aborted, or the menu would stay closed until the mark runs out.
    /// </summary>
    private async Task EndVerifyingAsync(FlowState verifying, bool verified)
    {
        if (verified || verifying.VerifyingUntil is not { } mark)
        {
            return;
        }

        await Records.UpdateAsync(verifying, s => s.VerifyingUntil == mark ? Change(s with { VerifyingUntil = null }, true) : NoChange(s, false), CancellationToken.None).ConfigureAwait(false);
    }
}
