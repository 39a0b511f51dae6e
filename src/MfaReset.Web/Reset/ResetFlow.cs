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
    ChangeNotices notices)
{
    private const string Unknown = FlowSession.Unknown;

    private FlowSession? _records;

    private VerificationPause? _pause;

    private ResetOptions Options => options.Value;

    private ResetLimits Limits => options.Value.Limits;

    private DateTimeOffset Now => timeProvider.GetUtcNow();

    private FlowSession Records => _records ??= new(okta, store, latency, timeProvider, options, origin, metrics, logger);

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
            if (await store.GetAsync(previousKey, cancellationToken).ConfigureAwait(false) is { } previous)
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
        if (!await store.TryRecordEventAsync(FlowKeys.Starts(loginKey), [new(Limits.StartsPerUsername, Limits.PerUserWindow)], cancellationToken).ConfigureAwait(false))
        {
            Records.LimitReached(origin.WithoutFlow, "starts-per-username");
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

    // ---- Limits before a verification call ------------------------------------------------------

    /// <summary>
    /// The per-person limits a code send, code check or push passes after reserving its attempt in the
    /// flow and before its Okta call (<see cref="PassLimitsThenCallAsync"/>).
    /// </summary>
    /// <param name="Call">The Okta call the step makes, or pads for with its latency.</param>
    /// <param name="Leases">Held by another flow (a cooldown, an open push): nothing is sent and nothing spent.</param>
    /// <param name="Counter">The person's counter of this step; its limit (<paramref name="CounterLimit"/> in logs) locks the flow.</param>
    /// <param name="CounterRules">The counter's rules.</param>
    /// <param name="CounterLimit">The limit's name in logs and metrics.</param>
    private sealed record StepLimits(FlowOktaCall Call, IReadOnlyList<LeaseClaim> Leases, string Counter, RateRule[] CounterRules, string CounterLimit)
    {
        /// <summary>A code check, which Okta counts toward its lockout when it fails: reserved against the verification pause first.</summary>
        public bool CountsTowardLockout { get; init; }

        /// <summary>What the person is shown when <paramref name="Counter"/> is spent: which limit, rather than a generic "too many attempts".</summary>
        public FlowProblem CounterProblem { get; init; } = FlowProblem.LimitReached;

        /// <summary>A portal-wide budget, counted last so it counts only what every other limit allowed.</summary>
        public (string Key, RateRule Rule, string Limit)? Global { get; init; }
    }

    private sealed record LeaseClaim(string Key, string Holder, TimeSpan For);

    /// <summary>
    /// How long a gap lease must last to end at <paramref name="end"/> (the step's reserved time plus the gap), not a
    /// whole gap after the moment the store takes it: the page's countdown and the lease then end together, so a
    /// press the page allows is never held back. At least a millisecond, as a lease must last.
    /// </summary>
    private TimeSpan Until(DateTimeOffset end) => end - Now is { Ticks: > 0 } left ? left : TimeSpan.FromMilliseconds(1);

    /// <summary>How <see cref="PassLimitsThenCallAsync"/> ended.</summary>
    private abstract record StepOutcome
    {
        /// <summary>The lease <paramref name="LeaseKey"/> is held by another flow: nothing was sent, counted or kept.</summary>
        public sealed record Held(string LeaseKey) : StepOutcome;

        /// <summary>A per-person limit ended the flow with <paramref name="Problem"/>.</summary>
        public sealed record Ended(FlowProblem Problem) : StepOutcome;

        /// <summary>The portal-wide budget is spent (logged; the leases are given back).</summary>
        public sealed record GlobalSpent : StepOutcome;

        /// <summary>A decoy factor or an unknown user: no Okta call, but as long a wait as one.</summary>
        public sealed record Padded : StepOutcome;

        /// <summary>Okta was asked and answered <paramref name="Result"/>; a code check holds its <paramref name="Pause"/> reservation.</summary>
        public sealed record Called(FactorVerifyResult Result, PauseReservation? Pause) : StepOutcome;
    }

    /// <summary>
    /// The one order every verification step follows: leases, the reservation against the verification pause
    /// (code checks only: the client's hourly count, then the person's count in a row, so a refusal there spends
    /// none of the person's budgets), the person's counter, the portal-wide budget, then the Okta call for a real
    /// factor or the latency pad for a decoy, so real and unknown usernames pass the same limits and take as long.
    /// </summary>
    private async Task<StepOutcome> PassLimitsThenCallAsync(FlowState state, StepLimits limits, Func<string, string, Task<FactorVerifyResult>> call, CancellationToken ct)
    {
        for (var i = 0; i < limits.Leases.Count; i++)
        {
            var lease = limits.Leases[i];
            if (!await store.TryAcquireLeaseAsync(lease.Key, lease.Holder, lease.For, ct).ConfigureAwait(false))
            {
                // The leases taken before this one are given back: a step held back must hold nothing (a push
                // refused for the gap must not keep the person's open-push lease for the push's lifetime).
                foreach (var taken in limits.Leases.Take(i))
                {
                    await store.ReleaseLeaseAsync(taken.Key, taken.Holder, ct).ConfigureAwait(false);
                }

                return new StepOutcome.Held(lease.Key);
            }
        }

        PauseReservation? pause = null;
        if (limits.CountsTowardLockout)
        {
            pause = await Pause.TryReserveAsync(state.SubjectKey, origin.ClientIp, ct).ConfigureAwait(false);
            switch (pause.Refused)
            {
                case PauseRefusal.Person:
                    return new StepOutcome.Ended(await Records.LockAsync(state, "consecutive-failures", FlowProblem.VerificationPaused, ct).ConfigureAwait(false));
                case PauseRefusal.Client:
                    return new StepOutcome.Ended(await Records.LockAsync(state, "failures-per-client", FlowProblem.NetworkPaused, ct).ConfigureAwait(false));
            }
        }

        // The person's counter and the portal-wide budget in one all-or-nothing step: a refusal by either spends neither.
        CountedEvent[] counted = limits.Global is { } budget
            ? [new(limits.Counter, limits.CounterRules), new(budget.Key, [budget.Rule])]
            : [new(limits.Counter, limits.CounterRules)];
        var refusedBy = await store.TryRecordEventsAsync(counted, ct).ConfigureAwait(false);
        if (refusedBy is not null && pause is not null)
        {
            await Pause.GiveBackAsync(pause, ct).ConfigureAwait(false);
        }

        if (refusedBy == 0)
        {
            return new StepOutcome.Ended(await Records.LockAsync(state, limits.CounterLimit, limits.CounterProblem, ct).ConfigureAwait(false));
        }

        if (refusedBy == 1 && limits.Global is { } global)
        {
            Records.LimitReached(state, global.Limit);
            foreach (var lease in limits.Leases)
            {
                await store.ReleaseLeaseAsync(lease.Key, lease.Holder, ct).ConfigureAwait(false);
            }

            return new StepOutcome.GlobalSpent();
        }

        if (state.OktaUserId is not { } userId || state.Chosen?.OktaFactorId is not { } factorId)
        {
            // A decoy check counts as a failure Okta answered, so unknown usernames pause like real ones.
            await latency.PadAsync(limits.Call, ct).ConfigureAwait(false);
            return new StepOutcome.Padded();
        }

        return new StepOutcome.Called(await latency.MeasureAsync(limits.Call, () => call(userId, factorId)).ConfigureAwait(false), pause);
    }

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

    /// <summary>
    /// The opening every verification step (a send, a code check, a push) shares, in this order: the flow loaded,
    /// one factor verify taken from the portal's Okta allowance, then the step reserved in the flow by
    /// <paramref name="reserve"/> (a compare-and-set; a reservation that locks the flow is logged as <paramref name="flowLimit"/>).
    /// The reserved flow, or none and what the step answers: <paramref name="failed"/> with the problem (no flow, the
    /// allowance spent, a flow gone meanwhile), or the reservation's own refusal.
    /// </summary>
    private async Task<(FlowState? Reserved, TResult? Refusal)> ReserveStepAsync<TResult>(
        string? flowSecret, Func<FlowState, (FlowState? Next, TResult? Outcome)> reserve, Func<FlowProblem, TResult> failed, string flowLimit, CancellationToken ct)
        where TResult : class
    {
        var (loaded, problem) = await Records.LoadAsync(flowSecret, ct).ConfigureAwait(false);
        if (loaded is null)
        {
            return (null, failed(problem ?? FlowProblem.StartAgain));
        }

        if (!TakeVerifyAllowance(loaded))
        {
            return (null, failed(FlowProblem.Busy));
        }

        var reserved = await Records.UpdateAsync(loaded, reserve, ct).ConfigureAwait(false);
        if (reserved.Problem is { } gone)
        {
            return (null, failed(gone));
        }

        if (reserved.Outcome is { } refused)
        {
            Records.LogLimitIfLocked(reserved.State!, flowLimit);
            return (null, refused);
        }

        return (reserved.State!, null);
    }

    /// <summary>
    /// Takes one factor verify (a challenge, a code, a push) from the portal's own allowance of Okta's bucket
    /// (<see cref="OktaOptions.PortalBucketShare"/>), before anything of the person's is reserved or counted.
    /// False when it is spent: every username alike is told the service is busy, and spends nothing.
    /// </summary>
    private bool TakeVerifyAllowance(FlowState state)
    {
        if (oktaQuota.TryTakeAllowance(OktaQuotaBucket.FactorVerify) is null)
        {
            return true;
        }

        Records.LimitReached(state, "okta-verify-allowance");
        return false;
    }

    // ---- One verification, one method ------------------------------------------------------------

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

    /// <summary>
    /// When the gap lease <paramref name="leaseKey"/> (taken with a <see cref="FlowKeys.GapHolder"/>) ends: read from
    /// its holder, never later than <paramref name="gap"/> from now; now when it was given back meanwhile.
    /// </summary>
    private async Task<DateTimeOffset> GapEndAsync(string leaseKey, TimeSpan gap, DateTimeOffset now, CancellationToken ct) =>
        Within(FlowKeys.GapEnd(await store.GetLeaseHolderAsync(leaseKey, ct).ConfigureAwait(false)), now, gap);

    /// <summary><paramref name="end"/>, but not before <paramref name="now"/> (none is now) nor more than <paramref name="longest"/> after it.</summary>
    private static DateTimeOffset Within(DateTimeOffset? end, DateTimeOffset now, TimeSpan longest) =>
        end is not { } at || at <= now ? now : at < now + longest ? at : now + longest;

    private RateRule[] PerUser(int perWindow, int perDay) => [new(perWindow, Limits.PerUserWindow), new(perDay, TimeSpan.FromDays(1))];

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
