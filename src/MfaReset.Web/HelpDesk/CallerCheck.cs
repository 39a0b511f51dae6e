using MfaReset.Web.Reset;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;

namespace MfaReset.Web.HelpDesk;

/// <summary>A way the console can verify the caller: one of their own active factors.</summary>
public sealed record CallerMethod(string ChoiceKey, FactorKind Kind, string? PhoneMask);

/// <summary>What looking a caller up found.</summary>
public abstract record LookupResult
{
    private LookupResult()
    {
    }

    /// <summary>A caller check has started; <paramref name="Call"/> goes in the call cookie.</summary>
    public sealed record Found(CallRecord Call) : LookupResult;

    /// <summary>Okta knows no such username (the agent is signed in: no decoy here).</summary>
    public sealed record NotFound : LookupResult;

    /// <summary>The account exists but is not one the portal verifies (suspended, deprovisioned, staged, ...).</summary>
    public sealed record NotVerifiable(OktaUserStatus Status) : LookupResult;

    /// <summary>The person has no method the console can use.</summary>
    public sealed record NoMethods : LookupResult;

    /// <summary>The agent looked up <see cref="HelpDeskOptions.LookupsPerAgent"/> people within the window.</summary>
    public sealed record AgentLimitReached : LookupResult;

    /// <summary>The reset flow refused the start (the person's start cap, Okta busy or down).</summary>
    public sealed record Failed(FlowProblem Problem) : LookupResult;
}

/// <summary>The outcome of a verification step, as the console shows it.</summary>
public enum CheckOutcome
{
    /// <summary>A code went to the caller's phone; the agent asks them to read it back.</summary>
    CodeSent,

    /// <summary>The caller reads the code from their authenticator app; nothing was sent.</summary>
    EnterCode,

    /// <summary>A push is on its way; the console shows the number to tap.</summary>
    PushSent,

    /// <summary>A push was sent and has no answer yet.</summary>
    Pending,

    Verified,

    /// <summary>The caller denied the push, or tapped another number.</summary>
    Denied,

    /// <summary>Nobody answered the push in time.</summary>
    TimedOut,

    /// <summary>The code read back was not the one Okta expected.</summary>
    WrongCode,

    /// <summary>Okta or the portal's per-person gap holds the send back until <see cref="CheckResult.AvailableAt"/>.</summary>
    TooSoon,

    /// <summary>The check cannot go on (<see cref="CheckResult.Problem"/>: a cap, the pause, Okta unavailable, ...).</summary>
    Failed,
}

/// <summary>A verification step's outcome; <see cref="Call"/> is the call as it stands after it.</summary>
public sealed record CheckResult(CheckOutcome Outcome, CallRecord Call)
{
    public FlowProblem? Problem { get; init; }

    public int? AttemptsLeft { get; init; }

    public DateTimeOffset? AvailableAt { get; init; }
}

/// <summary>
/// Verifies a caller for an agent with the reset flow itself (<see cref="FlowPurpose.CallerCheck"/>): the same
/// Okta calls, per-person caps, send and push gaps and verification pause as the reset pages, so the console
/// cannot be used to bomb a person or to get around their limits. The agent is authenticated, so an unknown
/// username is said plainly and only the person's own methods are offered (no decoys). Every attempt is audited
/// with agent, person, method and outcome.
/// </summary>
public sealed class CallerCheck(
    ResetFlow flow,
    IOktaClient okta,
    IFlowStore store,
    TimeProvider timeProvider,
    IOptions<HelpDeskOptions> options,
    RequestOrigin origin,
    ILogger<CallerCheck> logger)
{
    /// <summary>Methods a caller can prove on the phone with the agent: a push, a code sent to their phone, an app's code.</summary>
    private static readonly HashSet<FactorKind> ConsoleKinds =
        [FactorKind.OktaVerifyPush, FactorKind.Sms, FactorKind.Call, FactorKind.OktaVerifyTotp, FactorKind.GoogleAuthenticator];

    private HelpDeskOptions Options => options.Value;

    /// <summary>Looks the typed username up in Okta and starts a caller check; <paramref name="previous"/> (the agent's last call) ends.</summary>
    public async Task<LookupResult> LookUpAsync(Agent agent, string username, CallRecord? previous, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        var login = username.Trim();
        var typed = AuditLog.Described(login);
        if (!await store.TryRecordEventAsync(HelpDeskKeys.Lookups(agent.Id), [new RateRule(Options.LookupsPerAgent, Options.LookupWindow)], ct).ConfigureAwait(false))
        {
            logger.PersonLookedUp(agent.Id, agent.Login, typed, "-", "agent-limit", origin.ClientIp);
            return new LookupResult.AgentLimitReached();
        }

        if (!OktaPathSegment.CanName(login))
        {
            // "." or "..": no Okta login can be sent as that, so no account has it.
            logger.PersonLookedUp(agent.Id, agent.Login, typed, "unknown", nameof(LookupResult.NotFound), origin.ClientIp);
            return new LookupResult.NotFound();
        }

        var found = await okta.GetUserAsync(login, ct).ConfigureAwait(false);
        LookupResult result = found switch
        {
            OktaResult<OktaUser>.Ok { Value: var user } when user.Status is OktaUserStatus.Active or OktaUserStatus.LockedOut or OktaUserStatus.PasswordExpired or OktaUserStatus.Recovery
                => await StartAsync(login, user, previous, ct).ConfigureAwait(false),
            OktaResult<OktaUser>.Ok { Value: var user } => new LookupResult.NotVerifiable(user.Status),
            OktaResult<OktaUser>.NotFound => new LookupResult.NotFound(),
            OktaResult<OktaUser>.Throttled => new LookupResult.Failed(FlowProblem.Busy),
            _ => new LookupResult.Failed(FlowProblem.Unavailable),
        };
        var person = found is OktaResult<OktaUser>.Ok { Value: var who } ? who.Id : "unknown";
        logger.PersonLookedUp(agent.Id, agent.Login, typed, person, OutcomeName(result), origin.ClientIp);
        return result;
    }

    /// <summary>The person's methods the console can use, from the check's flow; empty when the flow is gone.</summary>
    public async Task<IReadOnlyList<CallerMethod>> MethodsAsync(CallRecord call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var state = await store.GetAsync(FlowSecrets.KeyOf(call.FlowSecret), ct).ConfigureAwait(false);
        if (state is null || state.Stage is not (FlowStage.Identified or FlowStage.Challenged))
        {
            return [];
        }

        var factors = await okta.ListFactorsAsync(call.PersonId, ct).ConfigureAwait(false) is OktaResult<IReadOnlyList<OktaFactor>>.Ok { Value: var list } ? list : [];
        return [.. state.Factors
            .Where(f => f.OktaFactorId is not null && ConsoleKinds.Contains(f.Kind))
            .Select(f => new CallerMethod(f.ChoiceKey, f.Kind, FactorMenu.NeedsSend(f.Kind)
                ? FactorMenu.MaskPhone(factors.FirstOrDefault(o => o.Id == f.OktaFactorId)?.PhoneNumber)
                : null))];
    }

    /// <summary>Picks a method and sends its challenge (a code to the phone, a push), or readies the code entry for an app's code.</summary>
    public async Task<CheckResult> SendAsync(Agent agent, CallRecord call, string choiceKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(call);
        var method = (await MethodsAsync(call, ct).ConfigureAwait(false)).FirstOrDefault(m => m.ChoiceKey == choiceKey);
        if (method is null)
        {
            return Audited(agent, call, "-", new CheckResult(CheckOutcome.Failed, call) { Problem = FlowProblem.StartAgain });
        }

        var picked = call with { Method = method.Kind.ToString() };
        var chosen = await flow.ChooseAsync(call.FlowSecret, choiceKey, ct).ConfigureAwait(false);
        CheckResult result = chosen switch
        {
            ChooseResult.Failed failed => new CheckResult(CheckOutcome.Failed, picked) { Problem = failed.Problem },
            ChooseResult.VerificationInFlight => new CheckResult(CheckOutcome.Failed, picked) { Problem = FlowProblem.Busy },
            ChooseResult.WaitForPush => await flow.SendPushAsync(call.FlowSecret, ct).ConfigureAwait(false) switch
            {
                SendPushResult.Sent => new CheckResult(CheckOutcome.PushSent, picked),
                SendPushResult.TooSoon tooSoon => new CheckResult(CheckOutcome.TooSoon, picked) { AvailableAt = tooSoon.AvailableAt },
                SendPushResult.Failed failed => new CheckResult(CheckOutcome.Failed, picked) { Problem = failed.Problem },
                _ => new CheckResult(CheckOutcome.Failed, picked) { Problem = FlowProblem.StartAgain },
            },
            ChooseResult.EnterCode when !FactorMenu.NeedsSend(method.Kind) => new CheckResult(CheckOutcome.EnterCode, picked),
            ChooseResult.EnterCode => await flow.SendCodeAsync(call.FlowSecret, ct).ConfigureAwait(false) switch
            {
                SendCodeResult.Sent => new CheckResult(CheckOutcome.CodeSent, picked),
                SendCodeResult.TooSoon tooSoon => new CheckResult(CheckOutcome.TooSoon, picked) { AvailableAt = tooSoon.AvailableAt },
                SendCodeResult.PhoneBusy busy => new CheckResult(CheckOutcome.TooSoon, picked) { AvailableAt = busy.AvailableAt },
                SendCodeResult.PhoneUnavailable => new CheckResult(CheckOutcome.Failed, picked) { Problem = FlowProblem.Unavailable },
                SendCodeResult.Failed failed => new CheckResult(CheckOutcome.Failed, picked) { Problem = failed.Problem },
                _ => new CheckResult(CheckOutcome.Failed, picked) { Problem = FlowProblem.StartAgain },
            },
            _ => new CheckResult(CheckOutcome.Failed, picked) { Problem = FlowProblem.StartAgain },
        };
        return Audited(agent, picked, picked.Method!, result);
    }

    /// <summary>Checks the code the caller read back.</summary>
    public async Task<CheckResult> VerifyCodeAsync(Agent agent, CallRecord call, string? code, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(call);
        var result = await flow.VerifyCodeAsync(call.FlowSecret, code, ct).ConfigureAwait(false) switch
        {
            VerifyCodeResult.Verified verified => Verified(call, verified.Credentials),
            VerifyCodeResult.WrongCode wrong => new CheckResult(CheckOutcome.WrongCode, call) { AttemptsLeft = wrong.AttemptsLeft },
            VerifyCodeResult.CodeAlreadyUsed used => new CheckResult(CheckOutcome.WrongCode, call) { AttemptsLeft = used.AttemptsLeft },
            VerifyCodeResult.Malformed => new CheckResult(CheckOutcome.WrongCode, call),
            VerifyCodeResult.Failed failed => new CheckResult(CheckOutcome.Failed, call) { Problem = failed.Problem },
            _ => new CheckResult(CheckOutcome.Failed, call) { Problem = FlowProblem.StartAgain },
        };
        return Audited(agent, call, call.Method ?? "-", result);
    }

    /// <summary>
    /// Asks for the push's answer: <paramref name="poll"/> for the page's script (coalesced with other polls of
    /// the check), else the no-script "check now" press.
    /// </summary>
    public async Task<(CheckResult Result, int? Number, TimeSpan NextPoll)> CheckPushAsync(Agent agent, CallRecord call, bool poll, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(call);
        var answer = poll
            ? await flow.PollPushAsync(call.FlowSecret, ct).ConfigureAwait(false)
            : await flow.CheckPushAsync(call.FlowSecret, ct).ConfigureAwait(false);
        var (result, number, next) = answer switch
        {
            PollResult.Status { Verified: { } credentials } s => (Verified(call, credentials), s.Number, s.NextPoll),
            PollResult.Status { State: PushStatus.Rejected } s => (new CheckResult(CheckOutcome.Denied, call), s.Number, s.NextPoll),
            PollResult.Status { State: PushStatus.Expired } s => (new CheckResult(CheckOutcome.TimedOut, call), s.Number, s.NextPoll),
            PollResult.Status s => (new CheckResult(CheckOutcome.Pending, call), s.Number, s.NextPoll),
            PollResult.Failed { Problem: FlowProblem.PushRejected } => (new CheckResult(CheckOutcome.Denied, call), null, TimeSpan.Zero),
            PollResult.Failed failed => (new CheckResult(CheckOutcome.Failed, call) { Problem = failed.Problem }, null, TimeSpan.Zero),
            _ => (new CheckResult(CheckOutcome.Failed, call) { Problem = FlowProblem.StartAgain }, null, TimeSpan.Zero),
        };
        return (result.Outcome == CheckOutcome.Pending ? result : Audited(agent, call, call.Method ?? "-", result), number, next);
    }

    /// <summary>The push's number and state as the flow holds it, without asking Okta.</summary>
    public async Task<PushStep?> PushStepAsync(CallRecord call, CancellationToken ct) =>
        await flow.GetPushStepAsync(call.FlowSecret, ct).ConfigureAwait(false) is PushStepResult.Ready { Step: var step } ? step : null;

    private async Task<LookupResult> StartAsync(string login, OktaUser user, CallRecord? previous, CancellationToken ct)
    {
        var started = await flow.StartAsync(login, previous?.FlowSecret, FlowPurpose.CallerCheck, ct).ConfigureAwait(false);
        if (started is not StartResult.Started { FlowSecret: var secret })
        {
            return new LookupResult.Failed(((StartResult.Failed)started).Problem);
        }

        var call = new CallRecord(login, user.Id, secret, null, null);
        return (await MethodsAsync(call, ct).ConfigureAwait(false)).Count == 0 ? new LookupResult.NoMethods() : new LookupResult.Found(call);
    }

    private CheckResult Verified(CallRecord call, VerifiedCredentials credentials) =>
        new(CheckOutcome.Verified, call with { FlowSecret = credentials.FlowSecret, VerifiedUntil = timeProvider.GetUtcNow() + Options.VerifiedFor });

    private CheckResult Audited(Agent agent, CallRecord call, string method, CheckResult result)
    {
        var outcome = result.Problem is { } problem ? $"{result.Outcome}-{problem}" : result.Outcome.ToString();
        logger.CallerVerification(agent.Id, agent.Login, call.PersonId, method, outcome, origin.ClientIp);
        return result;
    }

    private static string OutcomeName(LookupResult result) => result switch
    {
        LookupResult.Found => "check-started",
        LookupResult.NotVerifiable n => "not-verifiable-" + n.Status,
        LookupResult.Failed f => "failed-" + f.Problem,
        _ => result.GetType().Name,
    };
}

/// <summary>The console's keys in the flow store.</summary>
internal static class HelpDeskKeys
{
    /// <summary>Counter of an agent's lookups (<see cref="HelpDeskOptions.LookupsPerAgent"/>).</summary>
    public static string Lookups(string agentId) => "helpdesk-lookups:" + agentId;

    /// <summary>Lease marking a console session as ended (signed out): its cookie is refused until it would have expired anyway.</summary>
    public static string EndedSession(string sessionId) => "helpdesk-ended:" + FlowSecrets.KeyOf(sessionId);
}
