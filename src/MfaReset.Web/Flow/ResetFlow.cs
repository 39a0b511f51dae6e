using System.Security.Cryptography;
using System.Text;
using MfaReset.Okta;
using MfaReset.Web.Infrastructure;
using MfaReset.Web.Options;
using Microsoft.Extensions.Options;

namespace MfaReset.Web.Flow;

/// <summary>
/// The reset flow: the only thing the pages call. A state machine over <see cref="FlowState"/>
/// (Identified → Challenged → Verified → PasswordChanged; terminal Expired, Locked, Failed), where every
/// change is a compare-and-set in <see cref="IFlowStore"/> and every limit is reserved before the
/// Okta call it guards, so concurrent requests can never exceed one.
/// Unknown and ineligible users walk the same states with decoy factors: nothing is sent for them,
/// codes never match, pushes time out, and each skipped Okta call is replaced by a delay sampled
/// from real ones (<see cref="OktaLatency"/>). Every security event names the client that asked
/// (<see cref="RequestOrigin"/>, given per request).
/// </summary>
public sealed partial class ResetFlow(
    IOktaClient okta,
    OrgRecoveryPolicy recoveryPolicy,
    IOktaQuotaMonitor oktaQuota,
    OktaHealth oktaHealth,
    PasswordChecks passwordChecks,
    IFlowStore store,
    FactorMenu menu,
    OktaLatency latency,
    TimeProvider timeProvider,
    IOptions<ResetOptions> options,
    RequestOrigin origin,
    PortalMetrics metrics,
    ILogger<ResetFlow> logger)
{
    private const string Unknown = "unknown";

    private ResetOptions Options => options.Value;

    private ResetLimits Limits => options.Value.Limits;

    private DateTimeOffset Now => timeProvider.GetUtcNow();

    // ---- Username -------------------------------------------------------------------------------

    /// <summary>Starts a flow for whatever was typed; the outcome is the same for real and unknown users.</summary>
    /// <param name="username">The validated username or email (at most 256 characters, no control characters).</param>
    /// <param name="previousSecret">The browser's previous flow cookie, if any: that flow ends now.</param>
    public Task<StartResult> StartAsync(string username, string? previousSecret, CancellationToken cancellationToken) =>
        StartAsync(username, previousSecret, FlowPurpose.Reset, cancellationToken);

    /// <summary>
    /// Starts a reset or an unlock (<paramref name="purpose"/>). Both walk the same steps, limits and
    /// budgets up to verification; an unlock is refused for everybody alike when <see cref="ResetOptions.AllowUnlock"/> is off.
    /// </summary>
    public async Task<StartResult> StartAsync(string username, string? previousSecret, FlowPurpose purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        if (purpose == FlowPurpose.Unlock && !Options.AllowUnlock)
        {
            return new StartResult.Failed(FlowProblem.StartAgain);
        }

        if (FlowSecrets.IsWellFormed(previousSecret))
        {
            // A new flow in this browser invalidates the previous one and its token; its push, if one is
            // still waiting, is cancelled so the phone stops showing it.
            var previousKey = FlowSecrets.KeyOf(previousSecret!);
            if (await store.GetAsync(previousKey, cancellationToken).ConfigureAwait(false) is { } previous)
            {
                await CancelOpenPushAsync(previous, previous.Push, cancellationToken).ConfigureAwait(false);
            }

            await store.RemoveAsync(previousKey, cancellationToken).ConfigureAwait(false);
        }

        if (oktaQuota.IsLow)
        {
            // Okta's quota is nearly spent: keep what is left for flows already under way (security.md 75).
            // The same answer for every username, before any per-username work.
            logger.LimitReached("-", Unknown, "okta-quota-low", origin.ClientIp, origin.UserAgent);
            metrics.LimitReached("okta-quota-low");
            return new StartResult.Failed(FlowProblem.Busy);
        }

        if (oktaHealth.IsDegraded)
        {
            // Okta failed a flow's first calls moments ago: the same outage page for every username,
            // before any per-username work, so a failure of the factor list (which only real accounts
            // reach) never shows as a difference between accounts.
            logger.LimitReached("-", Unknown, "okta-degraded", origin.ClientIp, origin.UserAgent);
            metrics.LimitReached("okta-degraded");
            return new StartResult.Failed(FlowProblem.Unavailable);
        }

        var login = username.Trim();
        var loginKey = "login:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(login.ToLowerInvariant())));
        if (!await store.TryRecordEventAsync("starts:" + loginKey, [new(Limits.StartsPerUsername, Limits.PerUserWindow)], cancellationToken).ConfigureAwait(false))
        {
            logger.LimitReached("-", Unknown, "starts-per-username", origin.ClientIp, origin.UserAgent);
            metrics.LimitReached("starts-per-username");
            return new StartResult.Failed(FlowProblem.LimitReached);
        }

        var identity = await IdentifyAsync(login, loginKey, cancellationToken).ConfigureAwait(false);
        if (identity.Problem is { } problem)
        {
            return new StartResult.Failed(problem);
        }

        var secret = FlowSecrets.NewSecret();
        var now = Now;
        var state = new FlowState
        {
            Key = FlowSecrets.KeyOf(secret),
            PublicId = FlowSecrets.NewPublicId(),
            Stage = FlowStage.Identified,
            Purpose = purpose,
            CreatedAt = now,
            ExpiresAt = now + Options.FlowLifetime,
            LastActivityAt = now,
            SubjectKey = identity.SubjectKey,
            OktaUserId = identity.UserId,
            WasLockedOut = identity.WasLockedOut,
            AfterVerification = identity.AfterVerification,
            OktaPasswordChanged = identity.PasswordChanged,
            PasswordProvider = identity.User?.CredentialsProviderType,
            PersonalWords = PasswordChecks.PersonalWordsOf(login, identity.User),
            Factors = menu.Build(login, identity.Factors),
        };
        if (!await store.TryAddAsync(state, Retain(state), cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("A fresh 256-bit flow key collided; the random source is broken.");
        }

        var outcome = purpose == FlowPurpose.Unlock ? "unlock-" + identity.Outcome : identity.Outcome;
        logger.UsernameSubmitted(FlowSecrets.LogRef(state.Key), identity.UserId ?? Unknown, outcome, origin.ClientIp, origin.UserAgent);
        metrics.FlowStarted(outcome);
        return new StartResult.Started(secret);
    }

    private async Task<Identity> IdentifyAsync(string login, string subjectOfLogin, CancellationToken ct)
    {
        var user = await latency.MeasureAsync(OktaOperation.GetUser, () => okta.GetUserAsync(login, ct)).ConfigureAwait(false);
        switch (user)
        {
            case OktaResult<OktaUser>.Ok { Value: var found } when IsEligible(found.Status):
                break;
            case OktaResult<OktaUser>.Ok { Value: var ineligible }:
                await latency.PadAsync(OktaOperation.ListFactors, ct).ConfigureAwait(false);
                return Identity.Decoy("user:" + ineligible.Id, $"ineligible-{ineligible.Status}");
            case OktaResult<OktaUser>.Throttled throttled:
                LogOktaError(OktaOperation.GetUser, throttled.Error);
                return Identity.Failed(FlowProblem.Busy);
            case OktaResult<OktaUser>.Unavailable unavailable:
                LogUnavailable(OktaOperation.GetUser, unavailable.Reason);
                oktaHealth.Failed();
                return Identity.Failed(FlowProblem.Unavailable);
            case OktaResult<OktaUser>.Failed { Error: { ErrorCode: null, HttpStatus: >= 200 and < 300 } } malformed:
                // A 2xx answer the client could not validate (security.md 79): Okta is not working as documented.
                LogOktaError(OktaOperation.GetUser, malformed.Error);
                oktaHealth.Failed();
                return Identity.Failed(FlowProblem.Unavailable);
            case OktaResult<OktaUser>.Failed { Error.HttpStatus: 401 or 403 } failed:
                // The API token is invalid or lacks rights: an outage for everybody, not "unknown user".
                LogOktaError(OktaOperation.GetUser, failed.Error);
                return Identity.Failed(FlowProblem.Unavailable);
            default:
                // 404, or a login Okta cannot parse: the same as any unknown user.
                await latency.PadAsync(OktaOperation.ListFactors, ct).ConfigureAwait(false);
                return Identity.Decoy(subjectOfLogin, "not-found");
        }

        var okUser = ((OktaResult<OktaUser>.Ok)user).Value;
        var factors = await latency.MeasureAsync(OktaOperation.ListFactors, () => okta.ListFactorsAsync(okUser.Id, ct)).ConfigureAwait(false);
        switch (factors)
        {
            case OktaResult<IReadOnlyList<OktaFactor>>.Ok { Value: var list }:
                return new Identity(null, "user:" + okUser.Id, okUser.Id, okUser.Status == OktaUserStatus.LockedOut, AfterVerificationOf(okUser.Provider), okUser.PasswordChanged, list, list.Count == 0 ? "no-factors" : "found")
                {
                    User = okUser,
                };
            default:
                // Only real accounts reach this call, so its failure must look like an unknown account:
                // the decoy menu now, and the outage page for every username from the next start on.
                LogReadFailure(OktaOperation.ListFactors, factors);
                if (factors is OktaResult<IReadOnlyList<OktaFactor>>.Unavailable or OktaResult<IReadOnlyList<OktaFactor>>.Throttled
                    or OktaResult<IReadOnlyList<OktaFactor>>.Failed { Error: { ErrorCode: null, HttpStatus: >= 200 and < 300 } })
                {
                    oktaHealth.Failed();
                }

                return Identity.Decoy("user:" + okUser.Id, "factors-failed");
        }
    }

    /// <summary>
    /// Statuses whose people may reset (README, "Users and statuses"): ACTIVE; LOCKED_OUT (unlocked after the
    /// change); PASSWORD_EXPIRED and RECOVERY (Okta makes them ACTIVE when the new password is set). STAGED and
    /// PROVISIONED were never activated (their activation email is the way in), SUSPENDED and DEPROVISIONED
    /// were stopped by an admin: they walk the decoy path like an unknown username.
    /// </summary>
    private static bool IsEligible(OktaUserStatus status) =>
        status is OktaUserStatus.Active or OktaUserStatus.LockedOut or OktaUserStatus.PasswordExpired or OktaUserStatus.Recovery;

    private AfterVerification AfterVerificationOf(CredentialsProvider provider) => provider switch
    {
        CredentialsProvider.Okta or CredentialsProvider.Import => AfterVerification.Reset,
        CredentialsProvider.ActiveDirectory or CredentialsProvider.Ldap =>
            Options.DirectoryUsers == DirectoryUsersMode.SetThroughOkta ? AfterVerification.Reset : AfterVerification.HelpDesk,
        CredentialsProvider.Federation or CredentialsProvider.Social => AfterVerification.IdentityProvider,
        _ => AfterVerification.HelpDesk,
    };

    private sealed record Identity(
        FlowProblem? Problem,
        string SubjectKey,
        string? UserId,
        bool WasLockedOut,
        AfterVerification AfterVerification,
        DateTimeOffset? PasswordChanged,
        IReadOnlyList<OktaFactor> Factors,
        string Outcome)
    {
        /// <summary>The Okta user, when found and eligible: the source of the words a new password must not contain.</summary>
        public OktaUser? User { get; init; }

        public static Identity Decoy(string subjectKey, string outcome) => new(null, subjectKey, null, false, AfterVerification.Reset, null, [], outcome);

        public static Identity Failed(FlowProblem problem) => new(problem, string.Empty, null, false, AfterVerification.Reset, null, [], "failed");
    }

    // ---- Factor choice --------------------------------------------------------------------------

    /// <summary>The factor menu of the flow.</summary>
    public async Task<MenuResult> GetMenuAsync(string? flowSecret, CancellationToken cancellationToken)
    {
        var (state, problem) = await LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (state is null || state.Stage is not (FlowStage.Identified or FlowStage.Challenged))
        {
            return new MenuResult.Failed(problem ?? FlowProblem.StartAgain);
        }

        var choices = state.Factors
            .Where(f => !string.Equals(f.ChoiceKey, state.FirstVerifiedChoice, StringComparison.Ordinal))
            .Select(f => new FactorOption(f.ChoiceKey, f.Kind, f.Label, FactorMenu.NeedsSend(f.Kind), FactorMenu.PhoneMaskOf(f)))
            .ToList();
        return new MenuResult.Menu(choices, state.Chosen?.ChoiceKey) { SecondMethod = state.FirstVerifiedChoice is not null };
    }

    /// <summary>Chooses a factor by its menu key. Sends nothing: the next page has the send step.</summary>
    public async Task<ChooseResult> ChooseAsync(string? flowSecret, string? choiceKey, CancellationToken cancellationToken)
    {
        var (state, problem) = await LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (state is null || state.Stage is not (FlowStage.Identified or FlowStage.Challenged))
        {
            return new ChooseResult.Failed(problem ?? FlowProblem.StartAgain);
        }

        // With two methods required, the one already verified cannot count twice.
        var factor = state.Factors.FirstOrDefault(f => string.Equals(f.ChoiceKey, choiceKey, StringComparison.Ordinal)
            && !string.Equals(f.ChoiceKey, state.FirstVerifiedChoice, StringComparison.Ordinal));
        if (factor is null)
        {
            logger.ChoiceRefused(FlowSecrets.LogRef(state.Key), AuditLog.Encoded(choiceKey), origin.ClientIp, origin.UserAgent);
            return new ChooseResult.UnknownChoice();
        }

        // Another method than the waiting push: the push is dropped here and cancelled at Okta below.
        PushState? dropped = null;
        var step = await UpdateAsync(state, s =>
        {
            if (s.Stage is not (FlowStage.Identified or FlowStage.Challenged))
            {
                return NoChange(s, false);
            }

            var keepsPush = string.Equals(s.Chosen?.ChoiceKey, factor.ChoiceKey, StringComparison.Ordinal);
            dropped = keepsPush ? null : s.Push;
            return Change(s with { Stage = FlowStage.Challenged, Chosen = factor, Push = keepsPush ? s.Push : null }, true);
        }, cancellationToken).ConfigureAwait(false);
        if (!step.Outcome)
        {
            return new ChooseResult.Failed(step.Problem ?? FlowProblem.StartAgain);
        }

        await CancelOpenPushAsync(state, dropped, cancellationToken).ConfigureAwait(false);

        logger.FactorChosen(FlowSecrets.LogRef(state.Key), factor.Kind, factor.OktaFactorId is not null, origin.ClientIp, origin.UserAgent);
        return FactorMenu.UsesCode(factor.Kind) ? new ChooseResult.EnterCode() : new ChooseResult.WaitForPush();
    }

    /// <summary>The public id of the flow in this cookie (whatever its stage), or null when there is none. Calls nothing.</summary>
    public async Task<string?> PublicIdOfAsync(string? flowSecret, CancellationToken cancellationToken) =>
        (await FlowOfAsync(flowSecret, cancellationToken).ConfigureAwait(false))?.PublicId;

    /// <summary>
    /// The public id and purpose (reset or unlock) of the flow in this cookie, whatever its stage, or null when
    /// there is none: what every page of the flow may show. Calls nothing.
    /// </summary>
    public async Task<FlowLabel?> FlowOfAsync(string? flowSecret, CancellationToken cancellationToken) =>
        FlowSecrets.IsWellFormed(flowSecret)
        && await store.GetAsync(FlowSecrets.KeyOf(flowSecret!), cancellationToken).ConfigureAwait(false) is { } state
            ? new FlowLabel(state.PublicId, state.Purpose)
            : null;

    // ---- State plumbing -------------------------------------------------------------------------

    private async Task<(FlowState? State, FlowProblem? Problem)> LoadAsync(string? secret, CancellationToken ct)
    {
        if (!FlowSecrets.IsWellFormed(secret))
        {
            return (null, FlowProblem.StartAgain);
        }

        return await CheckLiveAsync(await store.GetAsync(FlowSecrets.KeyOf(secret!), ct).ConfigureAwait(false), ct).ConfigureAwait(false);
    }

    private async Task<(FlowState? State, FlowProblem? Problem)> CheckLiveAsync(FlowState? state, CancellationToken ct)
    {
        if (state is null)
        {
            return (null, FlowProblem.StartAgain);
        }

        if (state.Stage is FlowStage.PasswordChanged or FlowStage.Unlocked or FlowStage.Expired or FlowStage.Locked or FlowStage.Failed)
        {
            return (null, ProblemOf(state));
        }

        var now = Now;
        if (now >= state.ExpiresAt || now >= state.LastActivityAt + Options.IdleTimeout)
        {
            await EndAsync(state, FlowStage.Expired, FlowProblem.Expired, ct).ConfigureAwait(false);
            return (null, FlowProblem.Expired);
        }

        return (state, null);
    }

    private static FlowProblem ProblemOf(FlowState state) => state.Problem ?? state.Stage switch
    {
        FlowStage.Expired => FlowProblem.Expired,
        FlowStage.Locked => FlowProblem.LimitReached,
        FlowStage.PasswordChanged or FlowStage.Unlocked => FlowProblem.Completed,
        _ => FlowProblem.StartAgain,
    };

    /// <summary>
    /// Applies <paramref name="decide"/> to the freshest state until its write wins (or it decides not
    /// to write). When the flow is gone or has ended meanwhile, returns its problem and no state.
    /// </summary>
    private async Task<Step<T>> UpdateAsync<T>(FlowState state, Func<FlowState, (FlowState? Next, T Outcome)> decide, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var (next, outcome) = decide(state);
            if (next is null)
            {
                return new Step<T>(state, outcome, null);
            }

            var stored = await store.TryReplaceAsync(state, next with { LastActivityAt = Now }, Retain(next), ct).ConfigureAwait(false);
            if (stored is not null)
            {
                if (next.Stage is FlowStage.Locked or FlowStage.Failed or FlowStage.Expired && state.Stage != next.Stage)
                {
                    logger.FlowEnded(FlowSecrets.LogRef(state.Key), state.OktaUserId ?? Unknown, next.Stage, next.Problem, origin.ClientIp, origin.UserAgent);
                    metrics.FlowEnded(next.Stage, next.Problem);
                }

                return new Step<T>(stored, outcome, null);
            }

            var (fresh, problem) = await CheckLiveAsync(await store.GetAsync(state.Key, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            if (fresh is null)
            {
                return new Step<T>(null, default!, problem ?? FlowProblem.StartAgain);
            }

            state = fresh;
        }

        throw new InvalidOperationException("A flow update kept losing the compare-and-set.");
    }

    private readonly record struct Step<T>(FlowState? State, T Outcome, FlowProblem? Problem);

    private static (FlowState? Next, T Outcome) Change<T>(FlowState next, T outcome) => (next, outcome);

    private static (FlowState? Next, T Outcome) NoChange<T>(FlowState _, T outcome) => (null, outcome);

    /// <summary>A terminal copy: the token and the poll link are dropped.</summary>
    private static FlowState Ended(FlowState state, FlowStage stage, FlowProblem? problem) =>
        state with { Stage = stage, Problem = problem, TokenHash = null, TokenState = state.TokenState == TokenState.None ? TokenState.None : TokenState.Used, Push = null };

    private async Task EndAsync(FlowState state, FlowStage stage, FlowProblem? problem, CancellationToken ct)
    {
        PushState? open = null;
        var step = await UpdateAsync(state, s =>
        {
            open = s.Push;
            return Change(Ended(s, stage, problem), true);
        }, ct).ConfigureAwait(false);
        await CancelOpenPushAsync(state, open, ct).ConfigureAwait(false);
        if (step.State is { } ended && stage is FlowStage.PasswordChanged)
        {
            logger.FlowEnded(FlowSecrets.LogRef(state.Key), state.OktaUserId ?? Unknown, stage, problem, origin.ClientIp, origin.UserAgent);
            metrics.FlowEnded(stage, problem);
        }

        await store.ReleaseLeaseAsync("push-open:" + state.SubjectKey, state.Key, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Cancels a push that is still waiting (through Okta's <c>cancel</c> link) when the person picks
    /// another method, starts over, or the flow ends, so the phone stops showing a prompt nobody waits
    /// for. A decoy push takes as long as a real cancellation. A failed cancel is logged, never shown:
    /// the push then simply expires on the phone.
    /// </summary>
    private async Task CancelOpenPushAsync(FlowState state, PushState? push, CancellationToken ct)
    {
        if (push is not { Status: PushStatus.Pending } || Now >= push.ExpiresAt)
        {
            return;
        }

        await store.ReleaseLeaseAsync("push-open:" + state.SubjectKey, state.Key, ct).ConfigureAwait(false);
        var flowRef = FlowSecrets.LogRef(state.Key);
        if (state.OktaUserId is null || push.PollHandle is not { } handle)
        {
            await latency.PadAsync(OktaOperation.CancelPush, ct).ConfigureAwait(false);
            logger.PushAnswered(flowRef, Unknown, "cancelled-decoy", origin.ClientIp, origin.UserAgent);
            metrics.Verification(FactorKind.OktaVerifyPush, "push-answered", "cancelled-decoy");
            return;
        }

        var result = await latency.MeasureAsync(OktaOperation.CancelPush, () => okta.CancelPushAsync(PushPollHandle.Deserialize(handle), ct)).ConfigureAwait(false);
        logger.PushAnswered(flowRef, state.OktaUserId, result is FactorVerifyResult.Cancelled ? "cancelled" : "cancel-failed", origin.ClientIp, origin.UserAgent);
        metrics.Verification(FactorKind.OktaVerifyPush, "push-answered", result is FactorVerifyResult.Cancelled ? "cancelled" : "cancel-failed");
        if (result is not FactorVerifyResult.Cancelled)
        {
            LogVerifyFailure(OktaOperation.CancelPush, result, flowRef);
        }
    }

    private async Task<FlowProblem> LockAsync(FlowState state, string limit, CancellationToken ct)
    {
        logger.LimitReached(FlowSecrets.LogRef(state.Key), state.OktaUserId ?? Unknown, limit, origin.ClientIp, origin.UserAgent);
        metrics.LimitReached(limit);
        await EndAsync(state, FlowStage.Locked, FlowProblem.LimitReached, ct).ConfigureAwait(false);
        return FlowProblem.LimitReached;
    }

    private void LogLimitIfLocked(FlowState state, string limit)
    {
        if (state.Stage == FlowStage.Locked)
        {
            logger.LimitReached(FlowSecrets.LogRef(state.Key), state.OktaUserId ?? Unknown, limit, origin.ClientIp, origin.UserAgent);
            metrics.LimitReached(limit);
        }
    }

    /// <summary>
    /// Reserves one verification against the person's consecutive failures (Okta locks the account at
    /// <see cref="ResetLimits.OktaLockoutThreshold"/>, and its counter may never reset with time): false
    /// when the last <see cref="ResetLimits.ConsecutiveFailures"/> verifications since the last success
    /// all failed, so this one must not reach Okta. A success starts a new count
    /// (<see cref="ClearFailuresAsync"/>). Unknown usernames are counted alike, so they see the same pages.
    /// </summary>
    private async Task<bool> TryReserveVerificationAsync(FlowState state, CancellationToken ct)
    {
        var epoch = await store.GetLeaseHolderAsync("verified-epoch:" + state.SubjectKey, ct).ConfigureAwait(false) ?? "0";
        return await store.TryRecordEventAsync(
            $"unverified:{state.SubjectKey}:{epoch}", [new RateRule(ResetLimits.ConsecutiveFailures, Limits.ConsecutiveFailureMemory)], ct).ConfigureAwait(false);
    }

    private Task ClearFailuresAsync(FlowState state, CancellationToken ct) =>
        store.SetLeaseAsync("verified-epoch:" + state.SubjectKey, FlowSecrets.NewSecret(), Limits.ConsecutiveFailureMemory, ct);

    private async Task<FlowProblem> PauseVerificationAsync(FlowState state, CancellationToken ct)
    {
        logger.LimitReached(FlowSecrets.LogRef(state.Key), state.OktaUserId ?? Unknown, "consecutive-failures", origin.ClientIp, origin.UserAgent);
        metrics.LimitReached("consecutive-failures");
        await EndAsync(state, FlowStage.Locked, FlowProblem.VerificationPaused, ct).ConfigureAwait(false);
        return FlowProblem.VerificationPaused;
    }

    private RateRule[] PerUser(int perWindow, int perDay) => [new(perWindow, Limits.PerUserWindow), new(perDay, TimeSpan.FromDays(1))];

    // Tombstones outlive the flow so a late request learns "expired" or "already used", not "start again".
    private DateTimeOffset Retain(FlowState state) => state.ExpiresAt + Options.FlowLifetime;

    private static string Describe(FactorVerifyResult result) => result switch
    {
        FactorVerifyResult.Other other => other.FactorResult.ToLowerInvariant(),
        FactorVerifyResult.CodeReused reused => reused.Error is null ? $"code-{reused.Reason}-answered" : $"code-{reused.Reason}-{reused.Error.ErrorCode}",
        _ => result.GetType().Name,
    };

    private void LogOktaError(OktaOperation operation, OktaError error)
    {
        if (error.RateLimit is { } rate)
        {
            logger.OktaThrottled(operation, rate.Limit, rate.Remaining, rate.ResetAt, origin.ClientIp, origin.UserAgent);
        }

        logger.OktaError(operation, error.HttpStatus, error.ErrorCode, error.ErrorId, origin.ClientIp, origin.UserAgent);
    }

    private void LogReadFailure<T>(OktaOperation operation, OktaResult<T> failure)
    {
        if (failure is OktaResult<T>.Unavailable unavailable)
        {
            LogUnavailable(operation, unavailable.Reason);
        }
        else if (failure switch
        {
            OktaResult<T>.Throttled throttled => throttled.Error,
            OktaResult<T>.NotFound notFound => notFound.Error,
            OktaResult<T>.Failed failed => failed.Error,
            _ => null,
        } is { } error)
        {
            LogOktaError(operation, error);
        }
    }

    private void LogUnavailable(OktaOperation operation, OktaUnavailable reason) =>
        logger.OktaUnavailable(operation, reason.Kind, reason.HttpStatus, reason.RequestMayHaveReachedOkta, origin.ClientIp, origin.UserAgent);

    private void LogVerifyFailure(OktaOperation operation, FactorVerifyResult result, string flowRef)
    {
        switch (result)
        {
            case FactorVerifyResult.Failed failed:
                LogOktaError(operation, failed.Error);
                break;
            case FactorVerifyResult.Throttled throttled:
                LogOktaError(operation, throttled.Error);
                break;
            case FactorVerifyResult.Unavailable unavailable:
                LogUnavailable(operation, unavailable.Reason);
                break;
            case FactorVerifyResult.Refused:
                logger.OktaRefused(operation, flowRef, origin.ClientIp, origin.UserAgent);
                break;
        }
    }
}
