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
/// from real ones (<see cref="OktaLatency"/>).
/// </summary>
public sealed partial class ResetFlow(
    IOktaClient okta,
    IFlowStore store,
    FactorMenu menu,
    OktaLatency latency,
    TimeProvider timeProvider,
    IOptions<ResetOptions> options,
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
    public async Task<StartResult> StartAsync(string username, string? previousSecret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        if (FlowSecrets.IsWellFormed(previousSecret))
        {
            // A new flow in this browser invalidates the previous one and its token.
            await store.RemoveAsync(FlowSecrets.KeyOf(previousSecret!), cancellationToken).ConfigureAwait(false);
        }

        var login = username.Trim();
        var loginKey = "login:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(login.ToLowerInvariant())));
        if (!await store.TryRecordEventAsync("starts:" + loginKey, [new(Limits.StartsPerUsername, Limits.PerUserWindow)], cancellationToken).ConfigureAwait(false))
        {
            logger.LimitReached("-", Unknown, "starts-per-username");
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
            Stage = FlowStage.Identified,
            CreatedAt = now,
            ExpiresAt = now + Options.FlowLifetime,
            LastActivityAt = now,
            SubjectKey = identity.SubjectKey,
            OktaUserId = identity.UserId,
            WasLockedOut = identity.WasLockedOut,
            ExternallyManaged = identity.ExternallyManaged,
            Factors = menu.Build(login, identity.Factors),
        };
        if (!await store.TryAddAsync(state, Retain(state), cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("A fresh 256-bit flow key collided; the random source is broken.");
        }

        logger.UsernameSubmitted(FlowSecrets.LogRef(state.Key), identity.UserId ?? Unknown, identity.Outcome);
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
                var externallyManaged = okUser.CredentialsProviderType is { } provider && !string.Equals(provider, "OKTA", StringComparison.OrdinalIgnoreCase);
                return new Identity(null, "user:" + okUser.Id, okUser.Id, okUser.Status == OktaUserStatus.LockedOut, externallyManaged, list, list.Count == 0 ? "no-factors" : "found");
            case OktaResult<IReadOnlyList<OktaFactor>>.Throttled throttled:
                LogOktaError(OktaOperation.ListFactors, throttled.Error);
                return Identity.Failed(FlowProblem.Busy);
            case OktaResult<IReadOnlyList<OktaFactor>>.Unavailable unavailable:
                LogUnavailable(OktaOperation.ListFactors, unavailable.Reason);
                return Identity.Failed(FlowProblem.Unavailable);
            case OktaResult<IReadOnlyList<OktaFactor>>.Failed failed:
                LogOktaError(OktaOperation.ListFactors, failed.Error);
                return Identity.Decoy("user:" + okUser.Id, "factors-failed");
            default:
                return Identity.Decoy("user:" + okUser.Id, "factors-failed");
        }
    }

    private static bool IsEligible(OktaUserStatus status) =>
        status is OktaUserStatus.Active or OktaUserStatus.LockedOut or OktaUserStatus.PasswordExpired or OktaUserStatus.Recovery;

    private sealed record Identity(
        FlowProblem? Problem,
        string SubjectKey,
        string? UserId,
        bool WasLockedOut,
        bool ExternallyManaged,
        IReadOnlyList<OktaFactor> Factors,
        string Outcome)
    {
        public static Identity Decoy(string subjectKey, string outcome) => new(null, subjectKey, null, false, false, [], outcome);

        public static Identity Failed(FlowProblem problem) => new(problem, string.Empty, null, false, false, [], "failed");
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
            .Select(f => new FactorOption(f.ChoiceKey, f.Kind, f.Label, FactorMenu.NeedsSend(f.Kind)))
            .ToList();
        return new MenuResult.Menu(choices, state.Chosen?.ChoiceKey);
    }

    /// <summary>Chooses a factor by its menu key. Sends nothing: the next page has the send step.</summary>
    public async Task<ChooseResult> ChooseAsync(string? flowSecret, string? choiceKey, CancellationToken cancellationToken)
    {
        var (state, problem) = await LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (state is null || state.Stage is not (FlowStage.Identified or FlowStage.Challenged))
        {
            return new ChooseResult.Failed(problem ?? FlowProblem.StartAgain);
        }

        var factor = state.Factors.FirstOrDefault(f => string.Equals(f.ChoiceKey, choiceKey, StringComparison.Ordinal));
        if (factor is null)
        {
            return new ChooseResult.UnknownChoice();
        }

        var step = await UpdateAsync(state, s => s.Stage is FlowStage.Identified or FlowStage.Challenged
            ? Change(s with { Stage = FlowStage.Challenged, Chosen = factor }, true)
            : NoChange(s, false), cancellationToken).ConfigureAwait(false);
        if (!step.Outcome)
        {
            return new ChooseResult.Failed(step.Problem ?? FlowProblem.StartAgain);
        }

        logger.FactorChosen(FlowSecrets.LogRef(state.Key), factor.Kind, factor.OktaFactorId is not null);
        return FactorMenu.UsesCode(factor.Kind) ? new ChooseResult.EnterCode() : new ChooseResult.WaitForPush();
    }

    // ---- Codes (SMS, voice, TOTP) ---------------------------------------------------------------

    /// <summary>What the code page shows.</summary>
    public async Task<CodeStepResult> GetCodeStepAsync(string? flowSecret, CancellationToken cancellationToken)
    {
        var (state, problem) = await LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (state is null || state.Stage != FlowStage.Challenged || state.Chosen is not { } chosen || !FactorMenu.UsesCode(chosen.Kind))
        {
            return new CodeStepResult.Failed(problem ?? FlowProblem.StartAgain);
        }

        var needsSend = FactorMenu.NeedsSend(chosen.Kind);
        var sent = needsSend && string.Equals(state.CodeSentFor, chosen.ChoiceKey, StringComparison.Ordinal);
        DateTimeOffset? sendAgainAt = needsSend && state.Sends < Limits.SendsPerFlow
            ? (state.CodeSentAt ?? DateTimeOffset.MinValue) + Limits.ResendCooldown
            : null;
        return new CodeStepResult.Ready(new CodeStep(chosen.Kind, chosen.Label, sent, sendAgainAt, Limits.CodeAttemptsPerFlow - state.CodeAttempts));
    }

    /// <summary>Sends an SMS or voice code (the page's send step and "send again"). Never retried.</summary>
    public async Task<SendCodeResult> SendCodeAsync(string? flowSecret, CancellationToken cancellationToken)
    {
        var (loaded, problem) = await LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            return new SendCodeResult.Failed(problem ?? FlowProblem.StartAgain);
        }

        // Reserve the send in the flow first: of two concurrent sends, one sees the other's timestamp.
        var now = Now;
        var reserved = await UpdateAsync<SendCodeResult?>(loaded, s =>
        {
            if (s.Stage != FlowStage.Challenged || s.Chosen is not { } chosen || !FactorMenu.NeedsSend(chosen.Kind))
            {
                return NoChange<SendCodeResult?>(s, new SendCodeResult.Failed(FlowProblem.StartAgain));
            }

            if (s.Sends >= Limits.SendsPerFlow)
            {
                return Change<SendCodeResult?>(Ended(s, FlowStage.Locked, FlowProblem.LimitReached), new SendCodeResult.Failed(FlowProblem.LimitReached));
            }

            if (s.CodeSentAt is { } last && last + Limits.ResendCooldown > now)
            {
                return NoChange<SendCodeResult?>(s, new SendCodeResult.TooSoon(last + Limits.ResendCooldown));
            }

            return Change<SendCodeResult?>(s with { Sends = s.Sends + 1, CodeSentAt = now, CodeSentFor = chosen.ChoiceKey }, null);
        }, cancellationToken).ConfigureAwait(false);
        if (reserved.Problem is { } gone)
        {
            return new SendCodeResult.Failed(gone);
        }

        var state = reserved.State!;
        if (reserved.Outcome is { } refused)
        {
            LogLimitIfLocked(state, "sends-per-flow");
            return refused;
        }

        var flowRef = FlowSecrets.LogRef(state.Key);
        var subject = state.OktaUserId ?? Unknown;
        if (!await store.TryAcquireLeaseAsync("send-gap:" + state.SubjectKey, FlowSecrets.NewSecret(), Limits.ResendCooldown, cancellationToken).ConfigureAwait(false))
        {
            return new SendCodeResult.TooSoon(now + Limits.ResendCooldown);
        }

        if (!await store.TryRecordEventAsync("sends:" + state.SubjectKey, PerUser(Limits.SendsPerUser, Limits.SendsPerUserPerDay), cancellationToken).ConfigureAwait(false))
        {
            return new SendCodeResult.Failed(await LockAsync(state, "sends-per-user", cancellationToken).ConfigureAwait(false));
        }

        var factor = state.Chosen!;
        if (state.OktaUserId is not { } userId || factor.OktaFactorId is not { } factorId)
        {
            await latency.PadAsync(OktaOperation.Challenge, cancellationToken).ConfigureAwait(false);
            logger.ChallengeSent(flowRef, subject, factor.Kind, "decoy");
            return new SendCodeResult.Sent();
        }

        var result = await latency.MeasureAsync(OktaOperation.Challenge, () => okta.ChallengeAsync(userId, factorId, cancellationToken)).ConfigureAwait(false);
        logger.ChallengeSent(flowRef, subject, factor.Kind, Describe(result));
        switch (result)
        {
            case FactorVerifyResult.ChallengeSent:
                return new SendCodeResult.Sent();
            case FactorVerifyResult.Throttled { Error.ErrorCode: "E0000109" } throttled:
                // Okta's own 30-second SMS throttle: show the countdown, never retry automatically.
                LogOktaError(OktaOperation.Challenge, throttled.Error);
                return new SendCodeResult.TooSoon(now + Limits.ResendCooldown);
            case FactorVerifyResult.Throttled throttled:
                LogOktaError(OktaOperation.Challenge, throttled.Error);
                return new SendCodeResult.Failed(await LockAsync(state, "okta-rate-limit", cancellationToken).ConfigureAwait(false));
            case FactorVerifyResult.Failed { Error.ErrorCode: "E0000069" } locked:
                LogOktaError(OktaOperation.Challenge, locked.Error);
                return new SendCodeResult.Failed(await LockAsync(state, "okta-user-locked", cancellationToken).ConfigureAwait(false));
            default:
                LogVerifyFailure(OktaOperation.Challenge, result, flowRef);
                return new SendCodeResult.Failed(FlowProblem.Unavailable);
        }
    }

    /// <summary>Checks a typed code. Malformed codes never reach Okta (an empty verify would re-send the SMS).</summary>
    public async Task<VerifyCodeResult> VerifyCodeAsync(string? flowSecret, string? code, CancellationToken cancellationToken)
    {
        if (NormalizeCode(code) is not { } passCode)
        {
            return new VerifyCodeResult.Malformed();
        }

        var (loaded, problem) = await LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            return new VerifyCodeResult.Failed(problem ?? FlowProblem.StartAgain);
        }

        var reserved = await UpdateAsync<VerifyCodeResult?>(loaded, s =>
        {
            if (s.Stage != FlowStage.Challenged || s.Chosen is not { } chosen || !FactorMenu.UsesCode(chosen.Kind))
            {
                return NoChange<VerifyCodeResult?>(s, new VerifyCodeResult.Failed(FlowProblem.StartAgain));
            }

            if (FactorMenu.NeedsSend(chosen.Kind) && !string.Equals(s.CodeSentFor, chosen.ChoiceKey, StringComparison.Ordinal))
            {
                return NoChange<VerifyCodeResult?>(s, new VerifyCodeResult.NotSent());
            }

            if (s.CodeAttempts >= Limits.CodeAttemptsPerFlow)
            {
                return Change<VerifyCodeResult?>(Ended(s, FlowStage.Locked, FlowProblem.LimitReached), new VerifyCodeResult.Failed(FlowProblem.LimitReached));
            }

            return Change<VerifyCodeResult?>(s with { CodeAttempts = s.CodeAttempts + 1 }, null);
        }, cancellationToken).ConfigureAwait(false);
        if (reserved.Problem is { } gone)
        {
            return new VerifyCodeResult.Failed(gone);
        }

        var state = reserved.State!;
        if (reserved.Outcome is { } refused)
        {
            LogLimitIfLocked(state, "codes-per-flow");
            return refused;
        }

        if (!await store.TryRecordEventAsync("codes:" + state.SubjectKey, PerUser(Limits.CodeAttemptsPerUser, Limits.CodeAttemptsPerUserPerDay), cancellationToken).ConfigureAwait(false))
        {
            return new VerifyCodeResult.Failed(await LockAsync(state, "codes-per-user", cancellationToken).ConfigureAwait(false));
        }

        var factor = state.Chosen!;
        var flowRef = FlowSecrets.LogRef(state.Key);
        var subject = state.OktaUserId ?? Unknown;
        var attemptsLeft = Limits.CodeAttemptsPerFlow - state.CodeAttempts;
        var replayKey = $"otp:{state.OktaUserId}:{factor.OktaFactorId}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(passCode)))}";
        FactorVerifyResult result;
        if (state.OktaUserId is not { } userId || factor.OktaFactorId is not { } factorId)
        {
            await latency.PadAsync(OktaOperation.VerifyCode, cancellationToken).ConfigureAwait(false);
            result = new FactorVerifyResult.Other("DECOY");
        }
        else if (await store.GetLeaseHolderAsync(replayKey, cancellationToken).ConfigureAwait(false) is not null)
        {
            // A code that already verified a flow never verifies another (NIST: accept an OTP only once).
            await latency.PadAsync(OktaOperation.VerifyCode, cancellationToken).ConfigureAwait(false);
            result = new FactorVerifyResult.Other("PASSCODE_REPLAYED");
        }
        else
        {
            result = await latency.MeasureAsync(OktaOperation.VerifyCode, () => okta.VerifyPasscodeAsync(userId, factorId, passCode, cancellationToken)).ConfigureAwait(false);
        }

        logger.CodeChecked(flowRef, subject, factor.Kind, Describe(result), state.CodeAttempts);
        switch (result)
        {
            case FactorVerifyResult.Success:
                await store.SetLeaseAsync(replayKey, state.Key, TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false);
                return await CompleteVerificationAsync(state, cancellationToken).ConfigureAwait(false) switch
                {
                    { Credentials: { } credentials } => new VerifyCodeResult.Verified(credentials),
                    { Problem: var ended } => new VerifyCodeResult.Failed(ended ?? FlowProblem.StartAgain),
                };
            case FactorVerifyResult.InvalidPasscode or FactorVerifyResult.Other or FactorVerifyResult.ChallengeSent:
                return attemptsLeft > 0
                    ? new VerifyCodeResult.WrongCode(attemptsLeft)
                    : new VerifyCodeResult.Failed(await LockAsync(state, "codes-per-flow", cancellationToken).ConfigureAwait(false));
            case FactorVerifyResult.Throttled throttled:
                LogOktaError(OktaOperation.VerifyCode, throttled.Error);
                return new VerifyCodeResult.Failed(await LockAsync(state, "okta-rate-limit", cancellationToken).ConfigureAwait(false));
            case FactorVerifyResult.Failed { Error.ErrorCode: "E0000069" } locked:
                LogOktaError(OktaOperation.VerifyCode, locked.Error);
                return new VerifyCodeResult.Failed(await LockAsync(state, "okta-user-locked", cancellationToken).ConfigureAwait(false));
            default:
                LogVerifyFailure(OktaOperation.VerifyCode, result, flowRef);
                return new VerifyCodeResult.Failed(FlowProblem.Unavailable);
        }
    }

    /// <summary>Strips spaces and dashes; null unless what is left is 6 to 8 digits.</summary>
    public static string? NormalizeCode(string? code)
    {
        if (code is null)
        {
            return null;
        }

        var compact = code.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        return CodePattern().IsMatch(compact) ? compact : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9]{6,8}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex CodePattern();

    // ---- Push -----------------------------------------------------------------------------------

    /// <summary>What the push page shows.</summary>
    public async Task<PushStepResult> GetPushStepAsync(string? flowSecret, CancellationToken cancellationToken)
    {
        var (state, problem) = await LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (state is null || state.Stage != FlowStage.Challenged || state.Chosen?.Kind != FactorKind.OktaVerifyPush)
        {
            return new PushStepResult.Failed(problem ?? FlowProblem.StartAgain);
        }

        return new PushStepResult.Ready(ViewOf(state));
    }

    private PushStep ViewOf(FlowState state)
    {
        var push = state.Push;
        var status = push is { Status: PushStatus.Pending } && Now >= push.ExpiresAt ? PushStatus.Expired : push?.Status;
        DateTimeOffset? sendAgainAt = state.Pushes < Limits.PushesPerFlow
            ? (push?.SentAt ?? DateTimeOffset.MinValue) + Limits.PushCooldown
            : null;
        return new PushStep(status, push?.Number, sendAgainAt, NextPoll(push));
    }

    private TimeSpan NextPoll(PushState? push)
    {
        var next = new[] { push?.LastPolledAt + Options.PushPollInterval, push?.BackoffUntil }.Max() ?? Now;
        var wait = next - Now;
        return wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1);
    }

    /// <summary>Sends one Okta Verify push (number matching when configured). Never retried.</summary>
    public async Task<SendPushResult> SendPushAsync(string? flowSecret, PushRequestContext client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (loaded, problem) = await LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            return new SendPushResult.Failed(problem ?? FlowProblem.StartAgain);
        }

        var now = Now;
        var reserved = await UpdateAsync<SendPushResult?>(loaded, s =>
        {
            if (s.Stage != FlowStage.Challenged || s.Chosen?.Kind != FactorKind.OktaVerifyPush)
            {
                return NoChange<SendPushResult?>(s, new SendPushResult.Failed(FlowProblem.StartAgain));
            }

            if (s.Push is { Status: PushStatus.Pending } open && now < open.ExpiresAt)
            {
                return NoChange<SendPushResult?>(s, new SendPushResult.Sent()); // already waiting: show it
            }

            if (s.Pushes >= Limits.PushesPerFlow)
            {
                return Change<SendPushResult?>(Ended(s, FlowStage.Locked, FlowProblem.LimitReached), new SendPushResult.Failed(FlowProblem.LimitReached));
            }

            if (s.Push is { } last && last.SentAt + Limits.PushCooldown > now)
            {
                return NoChange<SendPushResult?>(s, new SendPushResult.TooSoon(last.SentAt + Limits.PushCooldown));
            }

            var placeholder = new PushState { SentAt = now, ExpiresAt = now + Options.PushLifetime, Status = PushStatus.Pending };
            return Change<SendPushResult?>(s with { Pushes = s.Pushes + 1, Push = placeholder }, null);
        }, cancellationToken).ConfigureAwait(false);
        if (reserved.Problem is { } gone)
        {
            return new SendPushResult.Failed(gone);
        }

        var state = reserved.State!;
        if (reserved.Outcome is { } refused)
        {
            LogLimitIfLocked(state, "pushes-per-flow");
            return refused;
        }

        // One open push per person, a pause between pushes, and a per-person budget.
        if (!await store.TryAcquireLeaseAsync("push-open:" + state.SubjectKey, state.Key, Options.PushLifetime, cancellationToken).ConfigureAwait(false)
            || !await store.TryAcquireLeaseAsync("push-gap:" + state.SubjectKey, FlowSecrets.NewSecret(), Limits.PushCooldown, cancellationToken).ConfigureAwait(false))
        {
            await UpdateAsync(state, s => Change(s with { Push = null }, true), cancellationToken).ConfigureAwait(false);
            return new SendPushResult.TooSoon(now + Limits.PushCooldown);
        }

        if (!await store.TryRecordEventAsync("pushes:" + state.SubjectKey, PerUser(Limits.PushesPerUser, Limits.PushesPerUserPerDay), cancellationToken).ConfigureAwait(false))
        {
            return new SendPushResult.Failed(await LockAsync(state, "pushes-per-user", cancellationToken).ConfigureAwait(false));
        }

        var flowRef = FlowSecrets.LogRef(state.Key);
        var subject = state.OktaUserId ?? Unknown;
        if (state.OktaUserId is not { } userId || state.Chosen!.OktaFactorId is not { } factorId)
        {
            await latency.PadAsync(OktaOperation.SendPush, cancellationToken).ConfigureAwait(false);
#pragma warning disable CA5394 // A decoy number shown on screen; it guards nothing.
            int? number = Options.NumberMatching ? Random.Shared.Next(10, 100) : null;
#pragma warning restore CA5394
            await UpdateAsync(state, s => Change(s with { Push = s.Push! with { Number = number } }, true), cancellationToken).ConfigureAwait(false);
            logger.PushSent(flowRef, subject, "decoy", Options.NumberMatching);
            return new SendPushResult.Sent();
        }

        var context = client with { UseNumberMatching = Options.NumberMatching };
        var result = await latency.MeasureAsync(OktaOperation.SendPush, () => okta.SendPushAsync(userId, factorId, context, cancellationToken)).ConfigureAwait(false);
        logger.PushSent(flowRef, subject, Describe(result), Options.NumberMatching);
        switch (result)
        {
            case FactorVerifyResult.Waiting waiting:
                var expiresAt = waiting.ExpiresAt is { } okExpiry && okExpiry < now + Options.PushLifetime ? okExpiry : now + Options.PushLifetime;
                await UpdateAsync(state, s => s.Push is null
                    ? NoChange(s, false)
                    : Change(s with { Push = s.Push with { PollHandle = waiting.Poll.Serialize(), Number = waiting.CorrectAnswer, ExpiresAt = expiresAt } }, true), cancellationToken).ConfigureAwait(false);
                return new SendPushResult.Sent();
            case FactorVerifyResult.Throttled throttled:
                LogOktaError(OktaOperation.SendPush, throttled.Error);
                return new SendPushResult.Failed(await LockAsync(state, "okta-rate-limit", cancellationToken).ConfigureAwait(false));
            case FactorVerifyResult.Failed { Error.ErrorCode: "E0000069" } locked:
                LogOktaError(OktaOperation.SendPush, locked.Error);
                return new SendPushResult.Failed(await LockAsync(state, "okta-user-locked", cancellationToken).ConfigureAwait(false));
            default:
                // No poll link: nothing to wait for. Never re-send automatically.
                LogVerifyFailure(OktaOperation.SendPush, result, flowRef);
                await UpdateAsync(state, s => Change(s with { Push = s.Push is null ? null : s.Push with { Status = PushStatus.Expired } }, true), cancellationToken).ConfigureAwait(false);
                await store.ReleaseLeaseAsync("push-open:" + state.SubjectKey, state.Key, cancellationToken).ConfigureAwait(false);
                return new SendPushResult.Failed(FlowProblem.Unavailable);
        }
    }

    /// <summary>
    /// The push's state for the poll endpoint and the no-JS "I've approved it" button. Okta is asked at
    /// most once per <see cref="ResetOptions.PushPollInterval"/> per flow, however many requests arrive:
    /// the request that wins the compare-and-set on the poll clock asks, the others get the cached state.
    /// </summary>
    public async Task<PollResult> PollPushAsync(string? flowSecret, CancellationToken cancellationToken)
    {
        var (loaded, problem) = await LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            return problem is FlowProblem.StartAgain ? new PollResult.NoPush() : new PollResult.Failed(problem!.Value);
        }

        if (loaded.Stage == FlowStage.Verified)
        {
            return new PollResult.Status(PushStatus.Approved, null, Options.PushPollInterval, null);
        }

        if (loaded.Stage != FlowStage.Challenged || loaded.Chosen?.Kind != FactorKind.OktaVerifyPush || loaded.Push is null)
        {
            return new PollResult.NoPush();
        }

        var now = Now;
        var claim = await UpdateAsync(loaded, s =>
        {
            if (s.Push is not { Status: PushStatus.Pending } push)
            {
                return NoChange(s, false);
            }

            if (now >= push.ExpiresAt)
            {
                return Change(s with { Push = push with { Status = PushStatus.Expired } }, false);
            }

            var due = new[] { push.LastPolledAt + Options.PushPollInterval, push.BackoffUntil }.Max();
            return due is { } at && now < at ? NoChange(s, false) : Change(s with { Push = push with { LastPolledAt = now } }, true);
        }, cancellationToken).ConfigureAwait(false);
        if (claim.Problem is { } gone)
        {
            return new PollResult.Failed(gone);
        }

        var state = claim.State!;
        if (!claim.Outcome)
        {
            if (state.Push is { Status: PushStatus.Expired })
            {
                await store.ReleaseLeaseAsync("push-open:" + state.SubjectKey, state.Key, cancellationToken).ConfigureAwait(false);
            }

            return StatusOf(state);
        }

        var flowRef = FlowSecrets.LogRef(state.Key);
        var subject = state.OktaUserId ?? Unknown;
        if (state.OktaUserId is null || state.Push!.PollHandle is not { } handle)
        {
            await latency.PadAsync(OktaOperation.PollPush, cancellationToken).ConfigureAwait(false);
            return StatusOf(state); // a decoy push stays pending until it expires
        }

        var result = await latency.MeasureAsync(OktaOperation.PollPush, () => okta.PollPushAsync(PushPollHandle.Deserialize(handle), cancellationToken)).ConfigureAwait(false);
        switch (result)
        {
            case FactorVerifyResult.Success:
                logger.PushAnswered(flowRef, subject, "approved");
                await store.ReleaseLeaseAsync("push-open:" + state.SubjectKey, state.Key, cancellationToken).ConfigureAwait(false);
                return await CompleteVerificationAsync(state, cancellationToken).ConfigureAwait(false) switch
                {
                    { Credentials: { } credentials } => new PollResult.Status(PushStatus.Approved, state.Push.Number, Options.PushPollInterval, credentials),
                    { Problem: var ended } => new PollResult.Failed(ended ?? FlowProblem.StartAgain),
                };
            case FactorVerifyResult.Waiting waiting:
                if (waiting.CorrectAnswer is { } number && number != state.Push.Number)
                {
                    state = (await UpdateAsync(state, s => Change(s with { Push = s.Push! with { Number = number } }, true), cancellationToken).ConfigureAwait(false)).State ?? state;
                }

                return StatusOf(state);
            case FactorVerifyResult.Rejected:
                // A denied push ends the flow and counts as a failure toward the person's limit.
                logger.PushAnswered(flowRef, subject, "rejected");
                await store.ReleaseLeaseAsync("push-open:" + state.SubjectKey, state.Key, cancellationToken).ConfigureAwait(false);
                await store.TryRecordEventAsync("codes:" + state.SubjectKey, PerUser(Limits.CodeAttemptsPerUser, Limits.CodeAttemptsPerUserPerDay), cancellationToken).ConfigureAwait(false);
                await EndAsync(state, FlowStage.Failed, FlowProblem.PushRejected, cancellationToken).ConfigureAwait(false);
                return new PollResult.Status(PushStatus.Rejected, null, Options.PushPollInterval, null);
            case FactorVerifyResult.TimedOut or FactorVerifyResult.Failed { Error.HttpStatus: 404 }:
                logger.PushAnswered(flowRef, subject, "timed-out");
                await store.ReleaseLeaseAsync("push-open:" + state.SubjectKey, state.Key, cancellationToken).ConfigureAwait(false);
                state = (await UpdateAsync(state, s => Change(s with { Push = s.Push! with { Status = PushStatus.Expired } }, true), cancellationToken).ConfigureAwait(false)).State ?? state;
                return StatusOf(state);
            case FactorVerifyResult.Throttled throttled:
                LogOktaError(OktaOperation.PollPush, throttled.Error);
                return StatusOf(await BackOffAsync(state, throttled.Error.RateLimit?.ResetAt, cancellationToken).ConfigureAwait(false));
            case FactorVerifyResult.Unavailable unavailable:
                LogUnavailable(OktaOperation.PollPush, unavailable.Reason);
                return StatusOf(await BackOffAsync(state, null, cancellationToken).ConfigureAwait(false));
            default:
                // A refused link or an unexpected answer: fail closed.
                LogVerifyFailure(OktaOperation.PollPush, result, flowRef);
                await store.ReleaseLeaseAsync("push-open:" + state.SubjectKey, state.Key, cancellationToken).ConfigureAwait(false);
                await EndAsync(state, FlowStage.Failed, FlowProblem.StartAgain, cancellationToken).ConfigureAwait(false);
                return new PollResult.Failed(FlowProblem.StartAgain);
        }
    }

    private PollResult.Status StatusOf(FlowState state)
    {
        var view = ViewOf(state);
        return new PollResult.Status(view.Status ?? PushStatus.Pending, view.Number, view.NextPoll, null);
    }

    private async Task<FlowState> BackOffAsync(FlowState state, DateTimeOffset? resetAt, CancellationToken ct)
    {
        var floor = Now + (2 * Options.PushPollInterval);
        var until = resetAt is { } reset && reset > floor ? reset : floor;
        var step = await UpdateAsync(state, s => Change(s with { Push = s.Push! with { BackoffUntil = until } }, true), ct).ConfigureAwait(false);
        return step.State ?? state;
    }

    // ---- Verified: the reset token ---------------------------------------------------------------

    private async Task<Verification> CompleteVerificationAsync(FlowState state, CancellationToken ct)
    {
        var flowRef = FlowSecrets.LogRef(state.Key);
        if (state.ExternallyManaged)
        {
            // Password managed in AD/LDAP/...: the portal cannot set it; the help desk can.
            await EndAsync(state, FlowStage.Failed, FlowProblem.HelpDesk, ct).ConfigureAwait(false);
            return new Verification(null, FlowProblem.HelpDesk);
        }

        // Rotate the flow key on the privilege change and issue the token; only the hash is stored.
        var secret = FlowSecrets.NewSecret();
        var token = FlowSecrets.NewSecret();
        var now = Now;
        var tokenExpiresAt = now + Options.TokenLifetime < state.ExpiresAt ? now + Options.TokenLifetime : state.ExpiresAt;
        var step = await UpdateAsync(state, s => s.Stage == FlowStage.Challenged
            ? Change(s with
            {
                Key = FlowSecrets.KeyOf(secret),
                Stage = FlowStage.Verified,
                Push = null,
                TokenHash = FlowSecrets.Hash(token),
                TokenExpiresAt = tokenExpiresAt,
                TokenState = TokenState.Unused,
            }, true)
            : NoChange(s, false), ct).ConfigureAwait(false);
        if (!step.Outcome)
        {
            return new Verification(null, step.Problem ?? FlowProblem.StartAgain);
        }

        var verified = step.State!;

        // The newest token for a person revokes older ones (checked at the password step).
        await store.SetLeaseAsync("token:" + verified.SubjectKey, verified.Key, Options.TokenLifetime, ct).ConfigureAwait(false);
        logger.TokenIssued(flowRef, verified.OktaUserId ?? Unknown, tokenExpiresAt);
        return new Verification(new VerifiedCredentials(secret, token), null);
    }

    private sealed record Verification(VerifiedCredentials? Credentials, FlowProblem? Problem);

    // ---- New password ---------------------------------------------------------------------------

    /// <summary>Whether the password page may be shown for this cookie and token. Calls nothing.</summary>
    public async Task<PasswordStepResult> GetPasswordStepAsync(string? flowSecret, string? resetToken, CancellationToken cancellationToken)
    {
        var (state, problem) = await LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return new PasswordStepResult.Failed(problem ?? FlowProblem.StartAgain);
        }

        return await CheckTokenAsync(state, resetToken, cancellationToken).ConfigureAwait(false) is { } refused
            ? new PasswordStepResult.Failed(refused)
            : new PasswordStepResult.Ready(Limits.PasswordAttemptsPerToken - state.PasswordAttempts);
    }

    /// <summary>
    /// Sets the new password. The token moves Unused → InProgress atomically before the Okta call, so of
    /// concurrent submits exactly one reaches Okta. A policy rejection puts it back to Unused (up to
    /// <see cref="ResetLimits.PasswordAttemptsPerToken"/> tries); an unknown outcome never re-sends.
    /// </summary>
    public async Task<ChangePasswordResult> ChangePasswordAsync(string? flowSecret, string? resetToken, string newPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newPassword);
        var (loaded, problem) = await LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            return new ChangePasswordResult.Failed(problem ?? FlowProblem.StartAgain);
        }

        if (await CheckTokenAsync(loaded, resetToken, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return new ChangePasswordResult.Failed(refused);
        }

        if (newPassword.Length == 0 || newPassword.Length > Options.MaxPasswordLength)
        {
            throw new ArgumentException("The page validates the password length before calling the flow.", nameof(newPassword));
        }

        var claim = await UpdateAsync(loaded, s => s.Stage == FlowStage.Verified && s.TokenState == TokenState.Unused
            ? Change(s with { TokenState = TokenState.InProgress, PasswordAttempts = s.PasswordAttempts + 1 }, true)
            : NoChange(s, false), cancellationToken).ConfigureAwait(false);
        if (!claim.Outcome)
        {
            logger.TokenRefused(FlowSecrets.LogRef(loaded.Key), loaded.OktaUserId ?? Unknown, "in-use");
            return new ChangePasswordResult.Failed(claim.Problem ?? FlowProblem.AlreadyUsed);
        }

        var state = claim.State!;
        var userId = state.OktaUserId ?? throw new InvalidOperationException("Only flows of known users reach Verified.");
        var flowRef = FlowSecrets.LogRef(state.Key);
        var result = await okta.SetPasswordAsync(userId, newPassword, cancellationToken).ConfigureAwait(false);
        switch (result)
        {
            case SetPasswordResult.Changed:
                logger.PasswordChange(flowRef, userId, "changed");
                await EndAsync(state, FlowStage.PasswordChanged, null, cancellationToken).ConfigureAwait(false);
                await store.ReleaseLeaseAsync("token:" + state.SubjectKey, state.Key, cancellationToken).ConfigureAwait(false);
                await AfterChangeAsync(state, userId, flowRef, cancellationToken).ConfigureAwait(false);
                return new ChangePasswordResult.Changed();
            case SetPasswordResult.Rejected rejected:
                logger.PasswordChange(flowRef, userId, "policy-rejected");
                var left = Limits.PasswordAttemptsPerToken - state.PasswordAttempts;
                if (left <= 0)
                {
                    return new ChangePasswordResult.Failed(await LockAsync(state, "password-attempts", cancellationToken).ConfigureAwait(false));
                }

                await ReleaseTokenAsync(state, cancellationToken).ConfigureAwait(false);
                return new ChangePasswordResult.Rejected(rejected.Reasons, left);
            case SetPasswordResult.Throttled throttled:
                LogOktaError(OktaOperation.SetPassword, throttled.Error);
                await ReleaseTokenAsync(state, cancellationToken).ConfigureAwait(false);
                return new ChangePasswordResult.Failed(FlowProblem.Busy);
            case SetPasswordResult.Unavailable { Reason.RequestMayHaveReachedOkta: true } unknown:
                // Okta may have changed it. Never re-send blindly: end the token and say we could not confirm.
                LogUnavailable(OktaOperation.SetPassword, unknown.Reason);
                logger.PasswordChange(flowRef, userId, "outcome-unknown");
                await EndAsync(state, FlowStage.Failed, FlowProblem.NotConfirmed, cancellationToken).ConfigureAwait(false);
                return new ChangePasswordResult.Failed(FlowProblem.NotConfirmed);
            case SetPasswordResult.Unavailable notSent:
                LogUnavailable(OktaOperation.SetPassword, notSent.Reason);
                await ReleaseTokenAsync(state, cancellationToken).ConfigureAwait(false);
                return new ChangePasswordResult.Failed(FlowProblem.Unavailable);
            case SetPasswordResult.Failed failed:
                LogOktaError(OktaOperation.SetPassword, failed.Error);
                await ReleaseTokenAsync(state, cancellationToken).ConfigureAwait(false);
                return new ChangePasswordResult.Failed(FlowProblem.Unavailable);
            default:
                throw new InvalidOperationException($"Unexpected {result.GetType().Name}.");
        }
    }

    private async Task<FlowProblem?> CheckTokenAsync(FlowState state, string? resetToken, CancellationToken ct)
    {
        var flowRef = FlowSecrets.LogRef(state.Key);
        var subject = state.OktaUserId ?? Unknown;
        if (state.Stage != FlowStage.Verified)
        {
            return FlowProblem.StartAgain;
        }

        if (!FlowSecrets.Matches(resetToken, state.TokenHash))
        {
            logger.TokenRefused(flowRef, subject, "mismatch");
            return FlowProblem.StartAgain;
        }

        if (state.TokenState is TokenState.InProgress or TokenState.Used)
        {
            logger.TokenRefused(flowRef, subject, "replayed");
            return FlowProblem.AlreadyUsed;
        }

        if (state.TokenExpiresAt is not { } expiresAt || Now >= expiresAt)
        {
            logger.TokenRefused(flowRef, subject, "expired");
            await EndAsync(state, FlowStage.Expired, FlowProblem.Expired, ct).ConfigureAwait(false);
            return FlowProblem.Expired;
        }

        if (!string.Equals(await store.GetLeaseHolderAsync("token:" + state.SubjectKey, ct).ConfigureAwait(false), state.Key, StringComparison.Ordinal))
        {
            logger.TokenRefused(flowRef, subject, "superseded");
            await EndAsync(state, FlowStage.Failed, FlowProblem.StartAgain, ct).ConfigureAwait(false);
            return FlowProblem.StartAgain;
        }

        return null;
    }

    private async Task ReleaseTokenAsync(FlowState state, CancellationToken ct) =>
        await UpdateAsync(state, s => s.TokenState == TokenState.InProgress ? Change(s with { TokenState = TokenState.Unused }, true) : NoChange(s, false), ct).ConfigureAwait(false);

    private async Task AfterChangeAsync(FlowState state, string userId, string flowRef, CancellationToken ct)
    {
        // Side effects never turn a completed change into a failure; they are logged for follow-up.
        if (state.WasLockedOut)
        {
            var unlock = await okta.UnlockUserAsync(userId, ct).ConfigureAwait(false);
            logger.AfterChange(flowRef, userId, "unlock", unlock.GetType().Name);
        }

        if (Options.RevokeSessions)
        {
            var revoke = await okta.RevokeSessionsAsync(userId, Options.RevokeOAuthTokens, ct).ConfigureAwait(false);
            logger.AfterChange(flowRef, userId, "revoke-sessions", revoke.GetType().Name);
        }
    }

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

        if (state.Stage is FlowStage.PasswordChanged or FlowStage.Expired or FlowStage.Locked or FlowStage.Failed)
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
        FlowStage.PasswordChanged => FlowProblem.AlreadyUsed,
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
                    logger.FlowEnded(FlowSecrets.LogRef(state.Key), state.OktaUserId ?? Unknown, next.Stage, next.Problem);
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
        var step = await UpdateAsync(state, s => Change(Ended(s, stage, problem), true), ct).ConfigureAwait(false);
        if (step.State is { } ended && stage is FlowStage.PasswordChanged)
        {
            logger.FlowEnded(FlowSecrets.LogRef(state.Key), state.OktaUserId ?? Unknown, stage, problem);
        }

        await store.ReleaseLeaseAsync("push-open:" + state.SubjectKey, state.Key, ct).ConfigureAwait(false);
    }

    private async Task<FlowProblem> LockAsync(FlowState state, string limit, CancellationToken ct)
    {
        logger.LimitReached(FlowSecrets.LogRef(state.Key), state.OktaUserId ?? Unknown, limit);
        await EndAsync(state, FlowStage.Locked, FlowProblem.LimitReached, ct).ConfigureAwait(false);
        return FlowProblem.LimitReached;
    }

    private void LogLimitIfLocked(FlowState state, string limit)
    {
        if (state.Stage == FlowStage.Locked)
        {
            logger.LimitReached(FlowSecrets.LogRef(state.Key), state.OktaUserId ?? Unknown, limit);
        }
    }

    private RateRule[] PerUser(int perWindow, int perDay) => [new(perWindow, Limits.PerUserWindow), new(perDay, TimeSpan.FromDays(1))];

    // Tombstones outlive the flow so a late request learns "expired" or "already used", not "start again".
    private DateTimeOffset Retain(FlowState state) => state.ExpiresAt + Options.FlowLifetime;

    private static string Describe(FactorVerifyResult result) => result switch
    {
        FactorVerifyResult.Other other => other.FactorResult.ToLowerInvariant(),
        _ => result.GetType().Name,
    };

    private void LogOktaError(OktaOperation operation, OktaError error)
    {
        if (error.RateLimit is { } rate)
        {
            logger.OktaThrottled(operation, rate.Limit, rate.Remaining, rate.ResetAt);
        }

        logger.OktaError(operation, error.HttpStatus, error.ErrorCode, error.ErrorId);
    }

    private void LogUnavailable(OktaOperation operation, OktaUnavailable reason) =>
        logger.OktaUnavailable(operation, reason.Kind, reason.HttpStatus, reason.RequestMayHaveReachedOkta);

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
                logger.OktaRefused(operation, flowRef);
                break;
        }
    }
}
