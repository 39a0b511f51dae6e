using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.OktaCalls;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;
using static MfaReset.Web.Reset.State.FlowSession;

namespace MfaReset.Web.Reset;

// Codes: the SMS/voice send step, resends and code checks.
public sealed partial class ResetFlow
{
    /// <summary>What the code page shows.</summary>
    public async Task<CodeStepResult> GetCodeStepAsync(string? flowSecret, CancellationToken cancellationToken)
    {
        var (state, problem) = await Records.LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (state is null || state.Stage != FlowStage.Challenged || state.Chosen is not { } chosen || !FactorMenu.UsesCode(chosen.Kind))
        {
            return new CodeStepResult.Failed(problem ?? FlowProblem.StartAgain);
        }

        var needsSend = FactorMenu.NeedsSend(chosen.Kind);
        var sent = needsSend && string.Equals(state.CodeSentFor, chosen.ChoiceKey, StringComparison.Ordinal);
        DateTimeOffset? sendAgainAt = needsSend && state.Sends < Limits.SendsPerFlow
            ? Later((state.CodeSentAt ?? DateTimeOffset.MinValue) + Limits.ResendCooldown, state.PhoneBusyUntil)
            : null;
        return new CodeStepResult.Ready(new CodeStep(chosen.Kind, chosen.Label, sent, sendAgainAt, Limits.CodeAttemptsPerFlow - state.CodeAttempts, EndsAt(state), FactorMenu.PhoneMaskOf(chosen)));
    }

    /// <summary>When the flow ends unless the person acts: its idle timeout or its absolute end, whichever is first.</summary>
    private DateTimeOffset EndsAt(FlowState state)
    {
        var idle = state.LastActivityAt + Options.IdleTimeout;
        return idle < state.ExpiresAt ? idle : state.ExpiresAt;
    }

    /// <summary>Sends an SMS, voice or email code (the page's send step and "send again"). Never retried.</summary>
    public async Task<SendCodeResult> SendCodeAsync(string? flowSecret, CancellationToken cancellationToken)
    {
        // Reserve the send in the flow first: of two concurrent sends, one sees the other's timestamp.
        var now = Now;
        (DateTimeOffset? At, string? For) previous = default;
        var resend = false;
        var (state, reservationRefused) = await ReserveStepAsync<SendCodeResult>(flowSecret, s =>
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

            if (s.PhoneBusyUntil is { } busy && busy > now)
            {
                // Okta said no for now: asking again before then only spends budget.
                return NoChange<SendCodeResult?>(s, new SendCodeResult.PhoneBusy(busy));
            }

            previous = (s.CodeSentAt, s.CodeSentFor);
            resend = s.CodeSentAt is not null && string.Equals(s.CodeSentFor, chosen.ChoiceKey, StringComparison.Ordinal);
            return Change<SendCodeResult?>(s with { Sends = s.Sends + 1, CodeSentAt = now, CodeSentFor = chosen.ChoiceKey }, null);
        }, problem => new SendCodeResult.Failed(problem), "sends-per-flow", cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return reservationRefused!;
        }

        var who = origin.For(state);
        var subject = state.OktaUserId ?? Unknown;
        var factor = state.Chosen!;

        // An emailed code lives as long as the code page waits for it (Okta's tokenLifetimeSeconds, email only);
        // Okta's templates speak the page's language. The portal-wide daily budget counts decoy sends too:
        // real and unknown usernames reach it alike and see the same page when it is spent.
        var language = OktaLanguage.Current;
        var limits = new StepLimits(
            FlowOktaCall.Challenge,
            [new LeaseClaim(FlowKeys.SendGap(state.SubjectKey), FlowKeys.GapHolder(state.Key, now + Limits.ResendCooldown), Until(now + Limits.ResendCooldown))],
            FlowKeys.Sends(state.SubjectKey),
            PerUser(Limits.SendsPerUser, Limits.SendsPerUserPerDay),
            "sends-per-user")
        {
            Global = (FlowKeys.GlobalSends, new RateRule(Limits.SendsPerDayGlobal, TimeSpan.FromDays(1)), "sends-per-day-global"),
            CounterProblem = FlowProblem.SendLimitReached,
        };
        var outcome = await PassLimitsThenCallAsync(state, limits, (userId, factorId) => factor.Kind == FactorKind.Email
            ? okta.ChallengeEmailAsync(userId, factorId, Options.IdleTimeout, language, EndUser, cancellationToken)
            : okta.ChallengeAsync(userId, factorId, language, EndUser, cancellationToken), cancellationToken).ConfigureAwait(false);
        FactorVerifyResult result;
        switch (outcome)
        {
            case StepOutcome.Held:
                // A code went to this person moments ago from another flow (a second tab, another spelling of
                // the name): nothing is sent now, and the page is the normal "sent" page, whatever the account,
                // so a held lease never tells an account that exists from one that does not. That code works here.
                logger.ChallengeSent(who, factor.Kind, "held-by-another-flow");
                return new SendCodeResult.Sent(resend);
            case StepOutcome.Ended ended:
                return new SendCodeResult.Failed(ended.Problem);
            case StepOutcome.GlobalSpent:
                await GiveBackSendAsync(state, now, factor, previous, phoneBusyUntil: null, cancellationToken).ConfigureAwait(false);
                return new SendCodeResult.PhoneUnavailable();
            case StepOutcome.Padded:
                logger.ChallengeSent(who, factor.Kind, "decoy");
                metrics.Verification(factor.Kind, VerificationStep.Challenge, MetricOutcome.Decoy);
                return new SendCodeResult.Sent(resend);
            default:
                result = ((StepOutcome.Called)outcome).Result;
                break;
        }

        logger.ChallengeSent(who, factor.Kind, Describe(result));
        metrics.Verification(factor.Kind, VerificationStep.Challenge, MetricOutcomeOf(result));
        switch (result)
        {
            case FactorVerifyResult.ChallengeSent:
                return new SendCodeResult.Sent(resend);
            case FactorVerifyResult.Throttled { Error: var busy } when !OktaErrorCodes.IsTelephonyThrottle(busy) && busy.Throttle is OktaThrottle.OrgBucket or OktaThrottle.Concurrency:
                // The org's bucket or its concurrency limit, not this phone or person: Okta sent nothing, the
                // person spent nothing, and the flow waits for Okta (never "too many attempts").
                Records.LogOktaError(FlowOktaCall.Challenge, busy);
                await GiveBackRefusedSendAsync(state, now, factor, previous, cancellationToken).ConfigureAwait(false);
                return new SendCodeResult.Failed(FlowProblem.Busy);
            case FactorVerifyResult.Failed { Error.Refusal: { } refusal } failed when RefusalProblem(refusal) is { } refusedAs:
                // Okta refused this method for this person (a number outside the allowed countries, a number that
                // opted out, an additional challenge) or the account's state: nothing was sent or spent.
                Records.LogOktaError(FlowOktaCall.Challenge, failed.Error);
                await GiveBackRefusedSendAsync(state, now, factor, previous, cancellationToken).ConfigureAwait(false);
                return new SendCodeResult.Failed(await EndUnlessKeptAsync(state, refusedAs, cancellationToken).ConfigureAwait(false));
            case FactorVerifyResult.Throttled:
            case FactorVerifyResult.Failed { Error: var refusal } when OktaErrorCodes.IsTelephonyThrottle(refusal):
                // Okta's SMS/call/email resend throttle (E0000109; E0000133, or E0000047 as the docs show it
                // for a call; E0000118 for an email), a telephony limit (E0000146/147/204/205, 403 E0000150), or any other 429 on a
                // send: nothing was sent. Wait (Okta's reset time when it gives one), or use another
                // method; never "limit reached", and never retried automatically.
                var error = result is FactorVerifyResult.Throttled t ? t.Error : ((FactorVerifyResult.Failed)result).Error;
                Records.LogOktaError(FlowOktaCall.Challenge, error);
                var busyUntil = Later(now + Limits.ResendCooldown, error.RateLimit?.ResetAt);
                await GiveBackSendAsync(state, now, factor, previous, busyUntil, cancellationToken).ConfigureAwait(false);
                return new SendCodeResult.PhoneBusy(busyUntil);
            case FactorVerifyResult.Failed { Error.ErrorCode: OktaErrorCodes.UserLocked } locked:
                Records.LogOktaError(FlowOktaCall.Challenge, locked.Error);
                return new SendCodeResult.Failed(await Records.LockAsync(state, "okta-user-locked", cancellationToken).ConfigureAwait(false));
            default:
                Records.LogVerifyFailure(FlowOktaCall.Challenge, result, who);
                return new SendCodeResult.Failed(FlowProblem.Unavailable);
        }
    }

    /// <summary>
    /// Nothing was sent after all: the send is given back (so the page shows its send step rather than a
    /// code field), and when Okta said "not now", no send is tried before <paramref name="phoneBusyUntil"/>.
    /// </summary>
    private async Task GiveBackSendAsync(FlowState state, DateTimeOffset sentAt, FlowFactor factor, (DateTimeOffset? At, string? For) previous, DateTimeOffset? phoneBusyUntil, CancellationToken ct) =>
        await Records.UpdateAsync(state, s => s.CodeSentAt == sentAt && string.Equals(s.CodeSentFor, factor.ChoiceKey, StringComparison.Ordinal)
            ? Change(s with
            {
                Sends = s.Sends - 1,
                CodeSentAt = previous.At,
                CodeSentFor = previous.For,
                PhoneBusyUntil = phoneBusyUntil ?? s.PhoneBusyUntil,
            }, true)
            : NoChange(s, false), ct).ConfigureAwait(false);

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset? b) => b is { } other && other > a ? other : a;

    /// <summary>Checks a typed code. Malformed codes never reach Okta (an empty verify would re-send the SMS).</summary>
    public async Task<VerifyCodeResult> VerifyCodeAsync(string? flowSecret, string? code, CancellationToken cancellationToken)
    {
        if (NormalizeCode(code) is not { } passCode)
        {
            // Refused before anything is loaded or counted: a malformed code spends no attempt.
            logger.CodeRefused(origin, AuditLog.Described(code));
            return new VerifyCodeResult.Malformed();
        }

        var (state, reservationRefused) = await ReserveStepAsync<VerifyCodeResult>(flowSecret, s =>
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

            // The check holds the flow's method until Okta's answer is written.
            return Change<VerifyCodeResult?>(s with { CodeAttempts = s.CodeAttempts + 1, VerifyingUntil = VerifyingDeadline }, null);
        }, problem => new VerifyCodeResult.Failed(problem), "codes-per-flow", new RequiredLeases<VerifyCodeResult>(
            s => UsedCodeKey(s, passCode) is { } used ? new StoreWrites { Requires = [new LeaseCondition(used, null)] } : null,
            s => RefuseUsedCodeAsync(s, cancellationToken)), cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return reservationRefused!;
        }

        VerifyCodeResult? answer = null;
        try
        {
            return answer = await CheckCodeAsync(state, passCode, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await EndVerifyingAsync(state, verified: answer is VerifyCodeResult.Verified).ConfigureAwait(false);
        }
    }

    /// <summary>The lease that marks <paramref name="passCode"/> used for the flow's person and factor, or null for a decoy (no code is ever used).</summary>
    private static string? UsedCodeKey(FlowState state, string passCode) =>
        state.OktaUserId is not null && state.Chosen?.OktaFactorId is not null ? FlowKeys.UsedCode(state.OktaUserId, state.Chosen.OktaFactorId, passCode) : null;

    /// <summary>
    /// A code that already verified a flow never verifies another (NIST: accept an OTP only once). The portal refuses
    /// it itself, its used-code lease found by the reservation's own write: Okta is not asked, no attempt is spent,
    /// and the answer takes as long as a check.
    /// </summary>
    private async Task<VerifyCodeResult> RefuseUsedCodeAsync(FlowState state, CancellationToken cancellationToken)
    {
        var result = new FactorVerifyResult.CodeReused(CodeReuse.Replayed, null);
        await latency.PadAsync(FlowOktaCall.VerifyCode, cancellationToken).ConfigureAwait(false);
        logger.CodeChecked(origin.For(state), state.Chosen!.Kind, Describe(result), state.CodeAttempts);
        metrics.Verification(state.Chosen.Kind, VerificationStep.Code, MetricOutcomeOf(result));
        return new VerifyCodeResult.CodeAlreadyUsed(CodeReuse.Replayed, Limits.CodeAttemptsPerFlow - state.CodeAttempts);
    }

    /// <summary>Checks the code with Okta (its attempt is reserved) and writes what Okta answered.</summary>
    private async Task<VerifyCodeResult> CheckCodeAsync(FlowState state, string passCode, CancellationToken cancellationToken)
    {
        var factor = state.Chosen!;
        var who = origin.For(state);
        var attemptsLeft = Limits.CodeAttemptsPerFlow - state.CodeAttempts;
        FactorVerifyResult result;
        PauseReservation? pause = null;
        var limits = new StepLimits(
            FlowOktaCall.VerifyCode,
            [],
            FlowKeys.Codes(state.SubjectKey),
            PerUser(Limits.CodeAttemptsPerUser, Limits.CodeAttemptsPerUserPerDay),
            "codes-per-user")
        {
            CountsTowardLockout = true,
        };
        switch (await PassLimitsThenCallAsync(state, limits, (userId, factorId) => okta.VerifyPasscodeAsync(userId, factorId, passCode, EndUser, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            case StepOutcome.Ended ended:
                return new VerifyCodeResult.Failed(ended.Problem);
            case StepOutcome.Called called:
                result = called.Result;
                pause = called.Pause;
                break;
            default:
                result = new FactorVerifyResult.Other("DECOY");
                break;
        }

        logger.CodeChecked(who, factor.Kind, Describe(result), state.CodeAttempts);
        metrics.Verification(factor.Kind, VerificationStep.Code, MetricOutcomeOf(result));
        switch (result)
        {
            case FactorVerifyResult.Success:
                // The per-person budget counts failures only (Okta's own counter resets on success too), and a
                // success is no failure of the client's either: both given back, and the code marked used, in one step.
                StoreWrites verified = new()
                {
                    ForgetEvents = Pause.SucceededCounters(pause, FlowKeys.Codes(state.SubjectKey)),
                    SetLeases = UsedCodeKey(state, passCode) is { } used ? [new LeaseHold(used, state.Key, TimeSpan.FromMinutes(10))] : [],
                };
                return await CompleteVerificationAsync(state, verified, cancellationToken).ConfigureAwait(false) switch
                {
                    { Credentials: { } credentials } => new VerifyCodeResult.Verified(credentials),
                    { Problem: var ended, Until: var until } => new VerifyCodeResult.Failed(ended ?? FlowProblem.StartAgain) { Until = until },
                };
            case FactorVerifyResult.CodeReused { Error: null } reused:
                // Okta's 200 answer: not a failed attempt, so it is given back,
                // and Okta did not count it toward its lockout, so neither does the pause.
                if (pause is not null)
                {
                    await Pause.GiveBackAsync(pause, cancellationToken).ConfigureAwait(false);
                }

                var refunded = await Records.UpdateAsync(state, s => s.CodeAttempts > 0 ? Change(s with { CodeAttempts = s.CodeAttempts - 1 }, true) : NoChange(s, false), cancellationToken).ConfigureAwait(false);
                return refunded.Problem is { } endedMeanwhile
                    ? new VerifyCodeResult.Failed(endedMeanwhile)
                    : new VerifyCodeResult.CodeAlreadyUsed(reused.Reason, Limits.CodeAttemptsPerFlow - refunded.State!.CodeAttempts);
            case FactorVerifyResult.CodeReused reused:
                // Okta's 403 E0000082/E0000083 counts toward its lockout (as the sandbox emulates): so does the portal.
                Records.LogOktaError(FlowOktaCall.VerifyCode, reused.Error!);
                return attemptsLeft > 0
                    ? new VerifyCodeResult.CodeAlreadyUsed(reused.Reason, attemptsLeft)
                    : new VerifyCodeResult.Failed(await Records.LockAsync(state, "codes-per-flow", cancellationToken).ConfigureAwait(false));
            case FactorVerifyResult.InvalidPasscode or FactorVerifyResult.Other or FactorVerifyResult.ChallengeSent:
                return attemptsLeft > 0
                    ? new VerifyCodeResult.WrongCode(attemptsLeft)
                    : new VerifyCodeResult.Failed(await Records.LockAsync(state, "codes-per-flow", cancellationToken).ConfigureAwait(false));
            case FactorVerifyResult.Throttled throttled:
                // Okta checked nothing: the check is given back either way. The person's own limit at Okta ends the
                // flow on its own page; the org's bucket or concurrency limit keeps it for a try later (Busy).
                Records.LogOktaError(FlowOktaCall.VerifyCode, throttled.Error);
                await GiveBackCheckAsync(state, pause, cancellationToken).ConfigureAwait(false);
                return new VerifyCodeResult.Failed(throttled.Error.Throttle is OktaThrottle.Person
                    ? await Records.LockAsync(state, "okta-user-rate-limit", FlowProblem.AccountThrottled, cancellationToken).ConfigureAwait(false)
                    : FlowProblem.Busy);
            case FactorVerifyResult.Failed { Error.Refusal: { } refusal } failed when RefusalProblem(refusal) is { } refusedAs:
                Records.LogOktaError(FlowOktaCall.VerifyCode, failed.Error);
                await GiveBackCheckAsync(state, pause, cancellationToken).ConfigureAwait(false);
                return new VerifyCodeResult.Failed(await EndUnlessKeptAsync(state, refusedAs, cancellationToken).ConfigureAwait(false));
            case FactorVerifyResult.Failed { Error.ErrorCode: OktaErrorCodes.UserLocked } locked:
                Records.LogOktaError(FlowOktaCall.VerifyCode, locked.Error);
                return new VerifyCodeResult.Failed(await Records.LockAsync(state, "okta-user-locked", cancellationToken).ConfigureAwait(false));
            case FactorVerifyResult.Unavailable { Reason.RequestMayHaveReachedOkta: false } or FactorVerifyResult.Refused:
                // Okta never received the check (outage, open breaker, in-flight cap, a refused request): it
                // counts nothing, for anyone. A check that may have reached Okta stays counted, as Okta may count it.
                Records.LogVerifyFailure(FlowOktaCall.VerifyCode, result, who);
                await GiveBackCheckAsync(state, pause, cancellationToken).ConfigureAwait(false);
                return new VerifyCodeResult.Failed(FlowProblem.Unavailable);
            default:
                Records.LogVerifyFailure(FlowOktaCall.VerifyCode, result, who);
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
}
