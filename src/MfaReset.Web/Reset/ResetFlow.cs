using MfaReset.Web.Notifications;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.OktaCalls;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;
using static MfaReset.Web.Reset.State.FlowSession;

namespace MfaReset.Web.Reset;

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
    OrgAdminList adminList,
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
    ILogger<ResetFlow> logger,
    IOptions<OktaOptions> oktaOptions,
    ChangeNotices notices,
    FlowReadAhead? readAhead = null)
{
    private const string Unknown = FlowSession.Unknown;

    private FlowSession? _records;

    private VerificationPause? _pause;

    private ResetOptions Options => options.Value;

    private ResetLimits Limits => options.Value.Limits;

    private DateTimeOffset Now => timeProvider.GetUtcNow();

    private FlowSession Records => _records ??= new(okta, store, latency, timeProvider, options, origin, metrics, logger, readAhead);

    private VerificationPause Pause => _pause ??= new(store, timeProvider, options);

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
            if (await Records.GetAsync(previousKey, cancellationToken).ConfigureAwait(false) is { } previous)
            {
                await Records.CancelOpenPushAsync(previous, previous.Push, cancellationToken).ConfigureAwait(false);
            }

            await store.RemoveAsync(previousKey, cancellationToken).ConfigureAwait(false);
        }

        if (oktaQuota.IsLow)
        {
            // Okta's quota is nearly spent: keep what is left for flows already under way (docs/security-decisions.md, "Okta quota").
            // The same answer for every username, before any per-username work.
            Records.LimitReached(origin.WithoutFlow, "okta-quota-low");
            return new StartResult.Failed(FlowProblem.Busy);
        }

        if (oktaHealth.IsDegraded)
        {
            // Okta failed a flow's first calls moments ago: the same outage page for every username,
            // before any per-username work, so a failure of the factor list (which only real accounts
            // reach) never shows as a difference between accounts.
            Records.LimitReached(origin.WithoutFlow, "okta-degraded");
            return new StartResult.Failed(FlowProblem.Unavailable);
        }

        var login = username.Trim();
        var loginKey = FlowKeys.LoginSubject(login, Options.LoginDomain);
        if (!await TryCountStartAsync(loginKey, cancellationToken).ConfigureAwait(false))
        {
            return new StartResult.Failed(FlowProblem.LimitReached);
        }

        var identity = await IdentifyAsync(login, loginKey, cancellationToken).ConfigureAwait(false);
        if (identity.Problem is { } problem)
        {
            return new StartResult.Failed(problem);
        }

        // A success Okta shows since the person's last failed code check ends their pause (unknown
        // usernames show none, but are read alike).
        await Pause.ClearIfOktaShowsSuccessAsync(identity.SubjectKey, identity.User?.LastSuccessSeen, cancellationToken).ConfigureAwait(false);

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
            OktaUserETag = identity.User?.ETag,
            PasswordProvider = identity.User?.CredentialsProviderType,
            PersonalWords = PasswordChecks.PersonalWordsOf(login, identity.User),
            Factors = menu.Build(login, identity.Factors),
        };
        if (!await store.TryAddAsync(state, Records.Retain(state), cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("A fresh 256-bit flow key collided; the random source is broken.");
        }

        var outcome = purpose == FlowPurpose.Unlock ? "unlock-" + identity.Outcome : identity.Outcome;
        // The id Okta found, also for a user the portal will not reset (whose flow holds none).
        logger.UsernameSubmitted(origin.For(state) with { Subject = identity.UserId ?? Unknown }, outcome);
        metrics.FlowStarted(purpose, identity.Outcome);
        return new StartResult.Started(secret);
    }

    private async Task<Identity> IdentifyAsync(string login, string subjectOfLogin, CancellationToken ct)
    {
        if (!OktaPathSegment.CanName(login))
        {
            // "." or "..": no Okta login can be sent as that, so no account has it. Asked nothing, it
            // takes as long as an unknown username and walks the same decoy path.
            await latency.PadAsync(FlowOktaCall.GetUser, ct).ConfigureAwait(false);
            await latency.PadAsync(FlowOktaCall.ListFactors, ct).ConfigureAwait(false);
            return Identity.Decoy(subjectOfLogin, "not-a-login");
        }

        var user = await latency.MeasureAsync(FlowOktaCall.GetUser, () => okta.GetUserAsync(login, ct)).ConfigureAwait(false);
        switch (user)
        {
            case OktaResult<OktaUser>.Ok { Value: var found } when IsEligible(found.Status):
                break;
            case OktaResult<OktaUser>.Ok { Value: var ineligible }:
                await latency.PadAsync(FlowOktaCall.ListFactors, ct).ConfigureAwait(false);
                return Identity.Decoy(FlowKeys.UserSubject(ineligible.Id), $"ineligible-{ineligible.Status}");
            case OktaResult<OktaUser>.Throttled throttled:
                Records.LogOktaError(FlowOktaCall.GetUser, throttled.Error);
                return Identity.Failed(FlowProblem.Busy);
            case OktaResult<OktaUser>.Unavailable { Reason: var refused } when IsPortalsOwnRefusal(refused):
                // The portal's own in-flight cap was full: the portal is busy, Okta is not down, so no outage hold.
                Records.LogUnavailable(FlowOktaCall.GetUser, refused);
                return Identity.Failed(FlowProblem.Busy);
            case OktaResult<OktaUser>.Unavailable unavailable:
                Records.LogUnavailable(FlowOktaCall.GetUser, unavailable.Reason);
                oktaHealth.Failed();
                return Identity.Failed(FlowProblem.Unavailable);
            case OktaResult<OktaUser>.Failed { Error: { ErrorCode: null, HttpStatus: >= 200 and < 300 } } malformed:
                // A 2xx answer the client could not validate: Okta is not working as documented, so nothing it said is acted on.
                Records.LogOktaError(FlowOktaCall.GetUser, malformed.Error);
                oktaHealth.Failed();
                return Identity.Failed(FlowProblem.Unavailable);
            case OktaResult<OktaUser>.Failed { Error.HttpStatus: 401 or 403 } failed:
                // The API token is invalid or lacks rights: an outage for everybody, not "unknown user".
                Records.LogOktaError(FlowOktaCall.GetUser, failed.Error);
                return Identity.Failed(FlowProblem.Unavailable);
            default:
                // 404, or a login Okta cannot parse: the same as any unknown user.
                await latency.PadAsync(FlowOktaCall.ListFactors, ct).ConfigureAwait(false);
                return Identity.Decoy(subjectOfLogin, "not-found");
        }

        var okUser = ((OktaResult<OktaUser>.Ok)user).Value;
        var factors = await latency.MeasureAsync(FlowOktaCall.ListFactors, () => okta.ListFactorsAsync(okUser.Id, ct)).ConfigureAwait(false);
        switch (factors)
        {
            case OktaResult<IReadOnlyList<OktaFactor>>.Ok { Value: var list }:
                return new Identity(null, FlowKeys.UserSubject(okUser.Id), okUser.Id, okUser.Status == OktaUserStatus.LockedOut, AfterVerificationOf(okUser.Provider), okUser.PasswordChanged, list, list.Count == 0 ? "no-factors" : "found")
                {
                    User = okUser,
                };
            default:
                // Only real accounts reach this call, so its failure must look like an unknown account:
                // the decoy menu now, and the outage page for every username from the next start on.
                Records.LogReadFailure(FlowOktaCall.ListFactors, factors);
                if (factors is OktaResult<IReadOnlyList<OktaFactor>>.Unavailable { Reason: var reason } ? !IsPortalsOwnRefusal(reason)
                    : factors is OktaResult<IReadOnlyList<OktaFactor>>.Throttled or OktaResult<IReadOnlyList<OktaFactor>>.Failed { Error: { ErrorCode: null, HttpStatus: >= 200 and < 300 } })
                {
                    oktaHealth.Failed();
                }

                return Identity.Decoy(FlowKeys.UserSubject(okUser.Id), "factors-failed");
        }
    }

    /// <summary>
    /// A call the portal's own cap on Okta requests in flight refused unsent: it says this instance is busy,
    /// nothing about Okta, so it never starts the outage hold that shows every new flow the outage page.
    /// </summary>
    private static bool IsPortalsOwnRefusal(OktaUnavailable reason) => reason.Kind == OktaUnavailableKind.InFlightLimit;

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
        var (state, problem) = await Records.LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
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
        var (state, problem) = await Records.LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (state is null || state.Stage is not (FlowStage.Identified or FlowStage.Challenged))
        {
            return new ChooseResult.Failed(problem ?? FlowProblem.StartAgain);
        }

        // With two methods required, the one already verified cannot count twice.
        var factor = state.Factors.FirstOrDefault(f => string.Equals(f.ChoiceKey, choiceKey, StringComparison.Ordinal)
            && !string.Equals(f.ChoiceKey, state.FirstVerifiedChoice, StringComparison.Ordinal));
        if (factor is null)
        {
            logger.ChoiceRefused(origin.For(state), AuditLog.Encoded(choiceKey));
            return new ChooseResult.UnknownChoice();
        }

        // Another method than the waiting push: the push is dropped here and cancelled at Okta below.
        // The flow as it held the dropped push: its chosen factor is the push's (the poll link is rebuilt from it).
        FlowState? dropped = null;
        var now = Now;
        var step = await Records.UpdateAsync<ChooseResult?>(state, s =>
        {
            if (s.Stage is not (FlowStage.Identified or FlowStage.Challenged))
            {
                return NoChange<ChooseResult?>(s, new ChooseResult.Failed(FlowProblem.StartAgain));
            }

            if (s.VerifyingUntil > now)
            {
                // Okta's answer for the current method is on its way: it is written for that method, never for this one.
                return NoChange<ChooseResult?>(s, new ChooseResult.VerificationInFlight());
            }

            var keepsPush = string.Equals(s.Chosen?.ChoiceKey, factor.ChoiceKey, StringComparison.Ordinal);
            dropped = keepsPush ? null : s;
            return Change<ChooseResult?>(s with { Stage = FlowStage.Challenged, Chosen = factor, Push = keepsPush ? s.Push : null, VerifyingUntil = null }, null);
        }, cancellationToken).ConfigureAwait(false);
        if (step.Problem is { } gone)
        {
            return new ChooseResult.Failed(gone);
        }

        if (step.Outcome is ChooseResult.VerificationInFlight inFlight)
        {
            logger.ChoiceRefused(origin.For(state), AuditLog.Encoded(choiceKey));
            return inFlight;
        }

        if (step.Outcome is { } refused)
        {
            return refused;
        }

        await Records.CancelOpenPushAsync(dropped ?? state, dropped?.Push, cancellationToken).ConfigureAwait(false);

        logger.FactorChosen(origin.For(state), factor.Kind, factor.OktaFactorId is not null);
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
        await Records.ReadForGuardAsync(flowSecret, cancellationToken).ConfigureAwait(false) is { } state
            ? new FlowLabel(state.PublicId, state.Purpose)
            : null;

    // ---- What every verification step shares --------------------------------------------------

    /// <summary>The person behind this request, as every verify call names them to Okta (the address the portal trusts, the browser).</summary>
    private OktaEndUser EndUser => new(origin.ClientIp, origin.UserAgent);

    /// <summary>The page an Okta refusal that is not an outage leads to (<see cref="OktaRefusal"/>).</summary>
    private static FlowProblem? RefusalProblem(OktaRefusal refusal) => refusal switch
    {
        OktaRefusal.PhoneRegionNotAllowed => FlowProblem.PhoneNotAllowed,
        OktaRefusal.PhoneOptedOut => FlowProblem.PhoneOptedOut,
        OktaRefusal.FactorNeedsAnotherChallenge => FlowProblem.MethodNeedsMore,
        OktaRefusal.UserStatusForbids => FlowProblem.AccountStatus,
        OktaRefusal.UnlockForbidden => FlowProblem.UnlockNotAllowed,
        OktaRefusal.UserBeingActivated => FlowProblem.AccountBeingActivated,
        _ => null,
    };

    /// <summary>Ends the flow with <paramref name="problem"/>, unless the problem's page leads back into it (another method, a try later).</summary>
    private async Task<FlowProblem> EndUnlessKeptAsync(FlowState state, FlowProblem problem, CancellationToken ct)
    {
        if (!FlowProblems.KeepsFlow(problem))
        {
            await Records.EndAsync(state, FlowStage.Failed, problem, ct).ConfigureAwait(false);
        }

        return problem;
    }

    private static string Describe(FactorVerifyResult result) => result switch
    {
        FactorVerifyResult.Other other => other.FactorResult.ToLowerInvariant(),
        FactorVerifyResult.CodeReused reused => reused.Error is null ? $"code-{reused.Reason}-answered" : $"code-{reused.Reason}-{reused.Error.ErrorCode}",
        _ => result.GetType().Name,
    };

    /// <summary>The meter's outcome of a verification step; the audit log keeps the detail (<see cref="Describe"/>).</summary>
    private static MetricOutcome MetricOutcomeOf(FactorVerifyResult result) => result switch
    {
        FactorVerifyResult.ChallengeSent or FactorVerifyResult.Success or FactorVerifyResult.Waiting => MetricOutcome.Success,
        FactorVerifyResult.InvalidPasscode or FactorVerifyResult.Rejected => MetricOutcome.Rejected,
        FactorVerifyResult.TimedOut => MetricOutcome.Timeout,
        FactorVerifyResult.Cancelled => MetricOutcome.Cancelled,
        FactorVerifyResult.Throttled => MetricOutcome.Throttled,
        FactorVerifyResult.CodeReused => MetricOutcome.CodeReused,
        FactorVerifyResult.Failed => MetricOutcome.Failure,
        FactorVerifyResult.Unavailable => MetricOutcome.Unavailable,
        FactorVerifyResult.Refused => MetricOutcome.Refused,
        _ => MetricOutcome.Unexpected,
    };
}
