using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.OktaCalls;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;
using static MfaReset.Web.Reset.State.FlowSession;

namespace MfaReset.Web.Reset;

// Okta Verify push: sending, coalesced polling, outcomes.
public sealed partial class ResetFlow
{
    /// <summary>What the push page shows.</summary>
    public async Task<PushStepResult> GetPushStepAsync(string? flowSecret, CancellationToken cancellationToken)
    {
        var (state, problem) = await Records.LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
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
            ? Later((push?.SentAt ?? DateTimeOffset.MinValue) + Limits.PushCooldown, state.PushHeldUntil)
            : null;
        return new PushStep(status, push?.Number, sendAgainAt, NextPoll(push), push?.SentAt, push?.ExpiresAt, EndsAt(state));
    }

    /// <summary>How often Okta is asked about a push now: Okta's widget pace, slower as the <c>/api/v1</c> bucket runs low (<see cref="PollPace"/>).</summary>
    private TimeSpan PollInterval => PollPace.Of(Options.PushPollInterval, oktaQuota.Readings, Now);

    private TimeSpan NextPoll(PushState? push)
    {
        var next = new[] { push?.LastPolledAt + PollInterval, push?.BackoffUntil }.Max() ?? Now;
        var wait = next - Now;
        return wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1);
    }

    /// <summary>
    /// Sends one Okta Verify push (number matching when configured) on behalf of the requesting browser:
    /// its address and User-Agent as <see cref="RequestOrigin"/> resolved them. Never retried.
    /// </summary>
    public async Task<SendPushResult> SendPushAsync(string? flowSecret, CancellationToken cancellationToken)
    {
        var now = Now;
        PushState? previous = null;
        var (state, reservationRefused) = await ReserveStepAsync<SendPushResult>(flowSecret, s =>
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

            // The flow's own gap. A hold by another flow (PushHeldUntil) is asked again below: it may have ended early
            // (that push was answered), and the answer says why it holds.
            var availableAt = (s.Push?.SentAt ?? DateTimeOffset.MinValue) + Limits.PushCooldown;
            if (availableAt > now)
            {
                return NoChange<SendPushResult?>(s, new SendPushResult.TooSoon(availableAt));
            }

            previous = s.Push;
            var placeholder = new PushState { SentAt = now, ExpiresAt = now + Options.PushLifetime, Status = PushStatus.Pending };
            return Change<SendPushResult?>(s with { Pushes = s.Pushes + 1, Push = placeholder, PushHeldUntil = null }, null);
        }, problem => new SendPushResult.Failed(problem), "pushes-per-flow", cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return reservationRefused!;
        }

        // One open push per person, a pause between pushes, and a per-person budget.
        var who = origin.For(state);
        var subject = state.OktaUserId ?? Unknown;
        var context = new PushRequestContext(origin.ClientIp, origin.UserAgent, Options.NumberMatching);
        var limits = new StepLimits(
            FlowOktaCall.SendPush,
            [new LeaseClaim(FlowKeys.PushOpen(state.SubjectKey), state.Key, Options.PushLifetime), new LeaseClaim(FlowKeys.PushGap(state.SubjectKey), FlowKeys.GapHolder(state.Key, now + Limits.PushCooldown), Until(now + Limits.PushCooldown))],
            FlowKeys.Pushes(state.SubjectKey),
            PerUser(Limits.PushesPerUser, Limits.PushesPerUserPerDay),
            "pushes-per-user")
        {
            CounterProblem = FlowProblem.PushLimitReached,
        };
        var outcome = await PassLimitsThenCallAsync(state, limits, (userId, factorId) => okta.SendPushAsync(userId, factorId, context, cancellationToken), cancellationToken).ConfigureAwait(false);
        FactorVerifyResult result;
        switch (outcome)
        {
            case StepOutcome.Held held:
                // Another push to this person is recent or still open (another flow): nothing is sent and the
                // reservation is given back, so pressing again never spends the flow's pushes. The page names
                // the true wait, and the button works when it says.
                var heldUntil = await PushHoldEndAsync(held.LeaseKey, state.SubjectKey, now, cancellationToken).ConfigureAwait(false);
                await Records.UpdateAsync(state, s => s.Push is { SentAt: var at } && at == now
                    ? Change(s with { Pushes = s.Pushes - 1, Push = previous, PushHeldUntil = heldUntil }, true)
                    : NoChange(s, false), cancellationToken).ConfigureAwait(false);
                return new SendPushResult.TooSoon(heldUntil) { OtherPushOpen = held.LeaseKey == FlowKeys.PushOpen(state.SubjectKey) };
            case StepOutcome.Ended ended:
                return new SendPushResult.Failed(ended.Problem);
            case StepOutcome.Called called:
                result = called.Result;
                break;
            default:
#pragma warning disable CA5394 // A decoy number shown on screen; it guards nothing.
                int? number = Options.NumberMatching ? Random.Shared.Next(10, 100) : null;
#pragma warning restore CA5394
                await Records.UpdateAsync(state, s => Change(s with { Push = s.Push! with { Number = number } }, true), cancellationToken).ConfigureAwait(false);
                logger.PushSent(who, "decoy", Options.NumberMatching);
                metrics.Verification(FactorKind.OktaVerifyPush, VerificationStep.PushSent, MetricOutcome.Decoy);
                return new SendPushResult.Sent();
        }

        logger.PushSent(who, Describe(result), Options.NumberMatching);
        metrics.Verification(FactorKind.OktaVerifyPush, VerificationStep.PushSent, MetricOutcomeOf(result));
        switch (result)
        {
            case FactorVerifyResult.Waiting waiting:
                var expiresAt = waiting.ExpiresAt is { } okExpiry && okExpiry < now + Options.PushLifetime ? okExpiry : now + Options.PushLifetime;
                await Records.UpdateAsync(state, s => s.Push is null
                    ? NoChange(s, false)
                    : Change(s with { Push = s.Push with { Number = waiting.CorrectAnswer, ExpiresAt = expiresAt, PollHandle = waiting.Poll.Serialize() } }, true), cancellationToken).ConfigureAwait(false);
                return new SendPushResult.Sent();
            case FactorVerifyResult.Throttled throttled:
                // Okta sent nothing: the push is given back either way. The person's own limit at Okta ends the flow
                // on its own page; the org's bucket or concurrency limit keeps it for a try later (Busy).
                Records.LogOktaError(FlowOktaCall.SendPush, throttled.Error);
                await GiveBackRefusedPushAsync(state, now, previous, cancellationToken).ConfigureAwait(false);
                return new SendPushResult.Failed(throttled.Error.Throttle is OktaThrottle.Person
                    ? await Records.LockAsync(state, "okta-user-rate-limit", FlowProblem.AccountThrottled, cancellationToken).ConfigureAwait(false)
                    : FlowProblem.Busy);
            case FactorVerifyResult.Failed { Error.Refusal: { } refusal } failed when RefusalProblem(refusal) is { } refusedAs:
                Records.LogOktaError(FlowOktaCall.SendPush, failed.Error);
                await GiveBackRefusedPushAsync(state, now, previous, cancellationToken).ConfigureAwait(false);
                return new SendPushResult.Failed(await EndUnlessKeptAsync(state, refusedAs, cancellationToken).ConfigureAwait(false));
            case FactorVerifyResult.Failed { Error.ErrorCode: OktaErrorCodes.UserLocked } locked:
                Records.LogOktaError(FlowOktaCall.SendPush, locked.Error);
                return new SendPushResult.Failed(await Records.LockAsync(state, "okta-user-locked", cancellationToken).ConfigureAwait(false));
            default:
                // No poll link: nothing to wait for. Never re-send automatically.
                Records.LogVerifyFailure(FlowOktaCall.SendPush, result, who);
                await Records.UpdateAsync(state, s => Change(s with { Push = s.Push is null ? null : s.Push with { Status = PushStatus.Expired } }, true), cancellationToken).ConfigureAwait(false);
                await store.ReleaseLeaseAsync(FlowKeys.PushOpen(state.SubjectKey), state.Key, cancellationToken).ConfigureAwait(false);
                return new SendPushResult.Failed(FlowProblem.Unavailable);
        }
    }

    /// <summary>
    /// When the push lease <paramref name="leaseKey"/> that held a send back ends: the gap after the last push to
    /// the person (<see cref="GapEndAsync"/>), or the open push of another flow (its expiry; it may be answered
    /// sooner, or have been already: then now).
    /// </summary>
    private async Task<DateTimeOffset> PushHoldEndAsync(string leaseKey, string subjectKey, DateTimeOffset now, CancellationToken ct)
    {
        if (leaseKey == FlowKeys.PushGap(subjectKey))
        {
            return await GapEndAsync(leaseKey, Limits.PushCooldown, now, ct).ConfigureAwait(false);
        }

        var holder = await store.GetLeaseHolderAsync(leaseKey, ct).ConfigureAwait(false);
        var open = holder is null ? null : (await store.GetAsync(holder, ct).ConfigureAwait(false))?.Push;
        return Within(open is { Status: PushStatus.Pending } ? open.ExpiresAt : null, now, Options.PushLifetime);
    }

    /// <summary>
    /// The flow's push gap lease given back, as a write of the approving step (none without a push): the next push to
    /// the person (their next reset) need not wait for the gap.
    /// </summary>
    private LeaseRelease[] PushGapRelease(FlowState state) =>
        state.Push is { } push ? [new LeaseRelease(FlowKeys.PushGap(state.SubjectKey), FlowKeys.GapHolder(state.Key, push.SentAt + Limits.PushCooldown))] : [];

    /// <summary>
    /// The no-JavaScript "I've approved it": the person says they answered, so Okta is asked for this press. When
    /// this interval's ask was already spent (an earlier press moments ago), the press waits for the next one (at
    /// most <see cref="PollInterval"/>) rather than answer from what Okta said before the person
    /// approved. A flow Okta asked to slow down is answered from its state, as the poll is.
    /// </summary>
    public async Task<PollResult> CheckPushAsync(string? flowSecret, CancellationToken cancellationToken)
    {
        if ((await Records.LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false)).State is
            { Stage: FlowStage.Challenged, Push: { Status: PushStatus.Pending, LastPolledAt: { } asked } push })
        {
            var due = asked + PollInterval;
            if (!(push.BackoffUntil > due))
            {
                // A loop: a timer may fire a little before the clock reads the time it was set for.
                for (var wait = due - Now; wait > TimeSpan.Zero; wait = due - Now)
                {
                    await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return await PollPushAsync(flowSecret, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The push's state for the poll endpoint and the no-JS "I've approved it" button. Okta is asked at
    /// most once per <see cref="PollInterval"/> per flow, however many requests arrive:
    /// the request that wins the compare-and-set on the poll clock asks, the others get the cached state.
    /// </summary>
    public async Task<PollResult> PollPushAsync(string? flowSecret, CancellationToken cancellationToken)
    {
        var (loaded, problem) = await Records.LoadAsync(flowSecret, cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            return problem is FlowProblem.StartAgain ? new PollResult.NoPush() : new PollResult.Failed(problem!.Value);
        }

        if (loaded.Stage == FlowStage.Verified)
        {
            return new PollResult.Status(PushStatus.Approved, null, PollInterval, null);
        }

        if (loaded.Stage != FlowStage.Challenged || loaded.Chosen?.Kind != FactorKind.OktaVerifyPush || loaded.Push is null)
        {
            return new PollResult.NoPush();
        }

        var now = Now;
        var claim = await Records.UpdateAsync(loaded, s =>
        {
            if (s.Push is not { Status: PushStatus.Pending } push)
            {
                return NoChange(s, false);
            }

            if (now >= push.ExpiresAt)
            {
                return Change(s with { Push = push with { Status = PushStatus.Expired } }, false);
            }

            // The request that asks Okta holds the flow's method until the answer is written.
            var due = new[] { push.LastPolledAt + PollInterval, push.BackoffUntil }.Max();
            return due is { } at && now < at ? NoChange(s, false) : Change(s with { Push = push with { LastPolledAt = now }, VerifyingUntil = VerifyingDeadline }, true);
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
                await store.ReleaseLeaseAsync(FlowKeys.PushOpen(state.SubjectKey), state.Key, cancellationToken).ConfigureAwait(false);
            }

            return StatusOf(state);
        }

        PollResult? answer = null;
        try
        {
            if (oktaQuota.TryTakeAllowance(OktaQuotaBucket.PushPoll) is { } renews)
            {
                // The portal's share of Okta's poll bucket is spent this minute: the push waits for it to renew,
                // and a decoy push waits alike, so the page's next poll never tells the two apart.
                return answer = StatusOf(await BackOffAsync(state, renews, cancellationToken).ConfigureAwait(false));
            }

            return answer = await AskOktaAboutPushAsync(state, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await EndVerifyingAsync(state, verified: answer is PollResult.Status { Verified: not null }).ConfigureAwait(false);
        }
    }

    /// <summary>Asks Okta about the flow's push (this request won the poll clock) and writes what it answered.</summary>
    private async Task<PollResult> AskOktaAboutPushAsync(FlowState state, CancellationToken cancellationToken)
    {
        var who = origin.For(state);
        if (state.OktaUserId is null || state.Push?.PollHandle is not { } pollHandle)
        {
            await latency.PadAsync(FlowOktaCall.PollPush, cancellationToken).ConfigureAwait(false);
            return StatusOf(state); // a decoy push stays pending until it expires
        }

        var asked = PushPollHandle.Deserialize(pollHandle);
        var result = await latency.MeasureAsync(FlowOktaCall.PollPush, () => okta.PollPushAsync(asked, cancellationToken)).ConfigureAwait(false);
        switch (result)
        {
            case FactorVerifyResult.Success:
                Records.PushAnswered(state, "approved", MetricOutcome.Success);
                // The open push and the pause between pushes end with the approval (an approval ends the gap).
                StoreWrites approved = new() { ReleaseLeases = [new LeaseRelease(FlowKeys.PushOpen(state.SubjectKey), state.Key), .. PushGapRelease(state)] };
                return await CompleteVerificationAsync(state, approved, cancellationToken).ConfigureAwait(false) switch
                {
                    { Credentials: { } credentials } => new PollResult.Status(PushStatus.Approved, state.Push!.Number, PollInterval, credentials),
                    { Problem: var ended, Until: var until } => new PollResult.Failed(ended ?? FlowProblem.StartAgain) { Until = until },
                };
            case FactorVerifyResult.Waiting waiting:
                return StatusOf(await WriteWaitingAsync(state, asked, waiting, who.FlowRef, cancellationToken).ConfigureAwait(false));
            case FactorVerifyResult.Rejected:
                // A denied push ends the flow and counts as a failure toward the person's limit.
                Records.PushAnswered(state, "rejected", MetricOutcome.Rejected);
                await store.ReleaseLeaseAsync(FlowKeys.PushOpen(state.SubjectKey), state.Key, cancellationToken).ConfigureAwait(false);
                await store.TryRecordEventAsync(FlowKeys.Codes(state.SubjectKey), PerUser(Limits.CodeAttemptsPerUser, Limits.CodeAttemptsPerUserPerDay), cancellationToken).ConfigureAwait(false);
                await Records.EndAsync(state, FlowStage.Failed, FlowProblem.PushRejected, cancellationToken).ConfigureAwait(false);
                return new PollResult.Status(PushStatus.Rejected, null, PollInterval, null);
            case FactorVerifyResult.TimedOut or FactorVerifyResult.Failed { Error.HttpStatus: 404 }:
                Records.PushAnswered(state, "timed-out", MetricOutcome.Timeout);
                await store.ReleaseLeaseAsync(FlowKeys.PushOpen(state.SubjectKey), state.Key, cancellationToken).ConfigureAwait(false);
                state = (await Records.UpdateAsync(state, s => Change(s with { Push = s.Push! with { Status = PushStatus.Expired } }, true), cancellationToken).ConfigureAwait(false)).State ?? state;
                return StatusOf(state);
            case FactorVerifyResult.Throttled throttled:
                Records.LogOktaError(FlowOktaCall.PollPush, throttled.Error);
                return StatusOf(await BackOffAsync(state, throttled.Error.RateLimit?.ResetAt, cancellationToken).ConfigureAwait(false));
            case FactorVerifyResult.Unavailable unavailable:
                Records.LogUnavailable(FlowOktaCall.PollPush, unavailable.Reason);
                return StatusOf(await BackOffAsync(state, null, cancellationToken).ConfigureAwait(false));
            default:
                // A refused link or an unexpected answer: fail closed.
                Records.LogVerifyFailure(FlowOktaCall.PollPush, result, who);
                await store.ReleaseLeaseAsync(FlowKeys.PushOpen(state.SubjectKey), state.Key, cancellationToken).ConfigureAwait(false);
                await Records.EndAsync(state, FlowStage.Failed, FlowProblem.StartAgain, cancellationToken).ConfigureAwait(false);
                return new PollResult.Failed(FlowProblem.StartAgain);
        }
    }

    /// <summary>
    /// A poll answered WAITING: a number Okta now shows is kept, and a new <c>_links.poll</c> is followed from now on when
    /// it is the org's own transaction path for this flow (<see cref="FollowingNewLink"/>); any other is not
    /// followed, and the link already checked stays.
    /// </summary>
    /// <summary>
    /// The push with a new poll link a later answer carried (Okta's "follow the returned <c>poll</c> link"), or null
    /// when it is not to be followed: only the org's own transaction path for this flow's user and factor, with a
    /// plain id, is taken from an answer, never another host or path, so no answer can point the portal's polls elsewhere.
    /// </summary>
    private PushState? FollowingNewLink(PushState push, PushPollHandle poll, FlowState state) =>
        oktaOptions.Value.OrgUrl is { } org && state.OktaUserId is { } user && state.Chosen?.OktaFactorId is { } factor
            && poll.TransactionIdUnder(org, user, factor) is { } id && IsPlainId(id)
            ? push with { PollHandle = poll.Serialize() }
            : null;

    /// <summary>An Okta id as one plain path segment: letters, digits, '.', '_' and '-', not dots only (no query, no fragment, no '/').</summary>
    private static bool IsPlainId(string id) =>
        id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && id.Any(c => c != '.');

    private async Task<FlowState> WriteWaitingAsync(FlowState state, PushPollHandle asked, FactorVerifyResult.Waiting waiting, string flowRef, CancellationToken ct)
    {
        var push = state.Push!;
        if (!waiting.Poll.Equals(asked))
        {
            if (FollowingNewLink(push, waiting.Poll, state) is { } moved)
            {
                push = moved;
            }
            else
            {
                logger.PollLinkNotFollowed(flowRef);
            }
        }

        if (waiting.CorrectAnswer is { } number)
        {
            push = push with { Number = number };
        }

        if (push == state.Push)
        {
            return state;
        }

        var changed = push;
        return (await Records.UpdateAsync(state, s => s.Push is { Status: PushStatus.Pending } current && current.SentAt == changed.SentAt
            ? Change(s with { Push = current with { Number = changed.Number, PollHandle = changed.PollHandle } }, true)
            : NoChange(s, false), ct).ConfigureAwait(false)).State ?? state;
    }

    private PollResult.Status StatusOf(FlowState state)
    {
        var view = ViewOf(state);
        return new PollResult.Status(view.Status ?? PushStatus.Pending, view.Number, view.NextPoll, null);
    }

    private async Task<FlowState> BackOffAsync(FlowState state, DateTimeOffset? resetAt, CancellationToken ct)
    {
        var floor = Now + (2 * PollInterval);
        var until = resetAt is { } reset && reset > floor ? reset : floor;
        var step = await Records.UpdateAsync(state, s => Change(s with { Push = s.Push! with { BackoffUntil = until } }, true), ct).ConfigureAwait(false);
        return step.State ?? state;
    }
}
