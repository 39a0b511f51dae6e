using MfaReset.Web.Reset.OktaCalls;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;
using static MfaReset.Web.Reset.State.FlowSession;

namespace MfaReset.Web.Reset;

// Limits: the per-username, per-person, per-client and portal-wide counts a step passes before its Okta call
// (events reserved in the store, leases taken), and their giving back when Okta never received the call.
public sealed partial class ResetFlow
{
    /// <summary>Counts a start for the typed name (by its login subject); false, logged, when the name's starts are spent.</summary>
    private async Task<bool> TryCountStartAsync(string loginKey, CancellationToken ct)
    {
        if (await store.TryRecordEventAsync(FlowKeys.Starts(loginKey), [new(Limits.StartsPerUsername, Limits.PerUserWindow)], ct).ConfigureAwait(false))
        {
            return true;
        }

        Records.LimitReached(origin.WithoutFlow, "starts-per-username");
        return false;
    }

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

        // The person's counter and the portal-wide budget in one all-or-nothing step: a refusal by either spends neither.
        // A code check records them with the person's count in a row, after the client's hourly count.
        CountedEvent[] counted = limits.Global is { } budget
            ? [new(limits.Counter, limits.CounterRules), new(budget.Key, [budget.Rule])]
            : [new(limits.Counter, limits.CounterRules)];
        PauseReservation? pause = null;
        int? refusedBy;
        if (limits.CountsTowardLockout)
        {
            pause = await Pause.TryReserveAsync(state.SubjectKey, origin.ClientIp, counted, ct).ConfigureAwait(false);
            switch (pause.Refused)
            {
                case PauseRefusal.Person:
                    return new StepOutcome.Ended(await Records.LockAsync(state, "consecutive-failures", FlowProblem.VerificationPaused, ct).ConfigureAwait(false));
                case PauseRefusal.Client:
                    return new StepOutcome.Ended(await Records.LockAsync(state, "failures-per-client", FlowProblem.NetworkPaused, ct).ConfigureAwait(false));
            }

            refusedBy = pause.AlongsideRefusedBy;
        }
        else
        {
            refusedBy = await store.TryRecordEventsAsync(counted, ct).ConfigureAwait(false);
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

    /// <summary>
    /// The opening every verification step (a send, a code check, a push) shares, in this order: the flow loaded,
    /// one factor verify taken from the portal's Okta allowance, then the step reserved in the flow by
    /// <paramref name="reserve"/> (a compare-and-set; a reservation that locks the flow is logged as <paramref name="flowLimit"/>).
    /// The reserved flow, or none and what the step answers: <paramref name="failed"/> with the problem (no flow, the
    /// allowance spent, a flow gone meanwhile), or the reservation's own refusal.
    /// </summary>
    private Task<(FlowState? Reserved, TResult? Refusal)> ReserveStepAsync<TResult>(
        string? flowSecret, Func<FlowState, (FlowState? Next, TResult? Outcome)> reserve, Func<FlowProblem, TResult> failed, string flowLimit, CancellationToken ct)
        where TResult : class =>
        ReserveStepAsync(flowSecret, reserve, failed, flowLimit, null, ct);

    /// <summary>Leases a reservation requires (<see cref="StoreWrites.Requires"/>, from the state it is made on), and the step's answer when one is not as required (nothing reserved).</summary>
    private sealed record RequiredLeases<TResult>(Func<FlowState, StoreWrites?> Requires, Func<FlowState, Task<TResult>> Refused);

    private async Task<(FlowState? Reserved, TResult? Refusal)> ReserveStepAsync<TResult>(
        string? flowSecret, Func<FlowState, (FlowState? Next, TResult? Outcome)> reserve, Func<FlowProblem, TResult> failed, string flowLimit,
        RequiredLeases<TResult>? leases, CancellationToken ct)
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

        var reserved = await Records.UpdateAsync(loaded, reserve, leases is null ? (_ => null) : leases.Requires, ct).ConfigureAwait(false);
        if (reserved.Problem is { } gone)
        {
            return (null, failed(gone));
        }

        if (reserved.RequiredLeaseMissing)
        {
            return (null, await leases!.Refused(reserved.State!).ConfigureAwait(false));
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

    // ---- Giving back what Okta never received --------------------------------------------------

    /// <summary>
    /// A send Okta refused without sending: the flow's send, the person's and the portal's send budgets, and the
    /// gap before the next send are given back, so another method (or this one later) is not held back by it.
    /// </summary>
    private async Task GiveBackRefusedSendAsync(FlowState state, DateTimeOffset sentAt, FlowFactor factor, (DateTimeOffset? At, string? For) previous, CancellationToken ct)
    {
        await GiveBackSendAsync(state, sentAt, factor, previous, phoneBusyUntil: null, ct).ConfigureAwait(false);
        await store.ForgetEventsAsync([FlowKeys.Sends(state.SubjectKey), FlowKeys.GlobalSends], ct).ConfigureAwait(false);
        await store.ReleaseLeaseAsync(FlowKeys.SendGap(state.SubjectKey), FlowKeys.GapHolder(state.Key, sentAt + Limits.ResendCooldown), ct).ConfigureAwait(false);
    }

    /// <summary>A code check Okta never received: the flow's attempt, the person's budget and the pause's counts are given back.</summary>
    private async Task GiveBackCheckAsync(FlowState state, PauseReservation? pause, CancellationToken ct)
    {
        await Records.UpdateAsync(state, s => s.CodeAttempts > 0 ? Change(s with { CodeAttempts = s.CodeAttempts - 1 }, true) : NoChange(s, false), ct).ConfigureAwait(false);
        await store.ForgetEventAsync(FlowKeys.Codes(state.SubjectKey), ct).ConfigureAwait(false);
        if (pause is not null)
        {
            await Pause.GiveBackAsync(pause, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A push Okta refused without sending: the flow's push, the person's push budget, the open-push lease and the
    /// gap before the next push are given back.
    /// </summary>
    private async Task GiveBackRefusedPushAsync(FlowState state, DateTimeOffset sentAt, PushState? previous, CancellationToken ct)
    {
        await Records.UpdateAsync(state, s => s.Push is { SentAt: var at } && at == sentAt
            ? Change(s with { Pushes = s.Pushes - 1, Push = previous }, true)
            : NoChange(s, false), ct).ConfigureAwait(false);
        await store.ForgetEventAsync(FlowKeys.Pushes(state.SubjectKey), ct).ConfigureAwait(false);
        await store.ReleaseLeaseAsync(FlowKeys.PushOpen(state.SubjectKey), state.Key, ct).ConfigureAwait(false);
        await store.ReleaseLeaseAsync(FlowKeys.PushGap(state.SubjectKey), FlowKeys.GapHolder(state.Key, sentAt + Limits.PushCooldown), ct).ConfigureAwait(false);
    }
}
