using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.OktaCalls;
using MfaReset.Web.Storage;

namespace MfaReset.Web.Reset.State;

/// <summary>
/// The stored side of <see cref="ResetFlow"/>: loads a live flow, applies a change by compare-and-set until
/// it wins, ends a flow (cancelling its open push) and locks it, and writes the audit lines and metrics
/// these steps share, each naming the client that asked (<see cref="RequestOrigin"/>).
/// </summary>
internal sealed class FlowSession(
    IOktaClient okta,
    IFlowStore store,
    OktaLatency latency,
    TimeProvider timeProvider,
    IOptions<ResetOptions> options,
    RequestOrigin origin,
    PortalMetrics metrics,
    ILogger logger,
    FlowReadAhead? readAhead = null)
{
    /// <summary>What logs name when there is no flow or no Okta user.</summary>
    public const string Unknown = "unknown";

    // The flow as the tab guard read it at the start of this request (the portal makes a ResetFlow, and so
    // these records, per request): the request's next read of that flow takes it instead of reading the row
    // again. Only a read is saved: every write is a compare-and-set on the version, which an older state loses.
    private FlowState? _readByGuard;

    private DateTimeOffset Now => timeProvider.GetUtcNow();

    /// <summary>The flow of this cookie whatever its stage, or null; kept for this request's next read of it (<see cref="GetAsync"/>).</summary>
    public async Task<FlowState?> ReadForGuardAsync(string? secret, CancellationToken ct)
    {
        _readByGuard = FlowSecrets.IsWellFormed(secret)
            ? await ReadAsync(FlowSecrets.KeyOf(secret!), ct).ConfigureAwait(false)
            : null;
        return _readByGuard;
    }

    /// <summary>The stored flow under <paramref name="key"/>: the guard's read of this request once, if it is that flow; otherwise the store's.</summary>
    public async Task<FlowState?> GetAsync(string key, CancellationToken ct)
    {
        if (_readByGuard is { } read && string.Equals(read.Key, key, StringComparison.Ordinal))
        {
            _readByGuard = null;
            return read;
        }

        return await ReadAsync(key, ct).ConfigureAwait(false);
    }

    // The per-client limit's read of this request's flow, if it read this one and nothing was written since; otherwise the store's.
    private async Task<FlowState?> ReadAsync(string key, CancellationToken ct) =>
        readAhead is not null && readAhead.TryTake(key, out var read)
            ? read
            : await store.GetAsync(key, ct).ConfigureAwait(false);

    /// <summary>The flow of this cookie if it is still live; otherwise the problem to show (an outlived flow is ended here).</summary>
    public async Task<(FlowState? State, FlowProblem? Problem)> LoadAsync(string? secret, CancellationToken ct)
    {
        if (!FlowSecrets.IsWellFormed(secret))
        {
            return (null, FlowProblem.StartAgain);
        }

        return await CheckLiveAsync(await GetAsync(FlowSecrets.KeyOf(secret!), ct).ConfigureAwait(false), ct).ConfigureAwait(false);
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
        if (now >= state.ExpiresAt || now >= state.LastActivityAt + options.Value.IdleTimeout)
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
    public Task<Step<T>> UpdateAsync<T>(FlowState state, Func<FlowState, (FlowState? Next, T Outcome)> decide, CancellationToken ct) =>
        UpdateAsync(state, decide, _ => null, ct);

    /// <summary><see cref="UpdateAsync{T}(FlowState, Func{FlowState, ValueTuple{FlowState, T}}, CancellationToken)"/>, with <paramref name="alongside"/> made in the same store step as the winning write, and only with it.</summary>
    public Task<Step<T>> UpdateAsync<T>(FlowState state, Func<FlowState, (FlowState? Next, T Outcome)> decide, StoreWrites alongside, CancellationToken ct) =>
        UpdateAsync(state, decide, _ => alongside, ct);

    /// <summary>
    /// <see cref="UpdateAsync{T}(FlowState, Func{FlowState, ValueTuple{FlowState, T}}, StoreWrites, CancellationToken)"/> with the
    /// writes (and the leases they require, <see cref="StoreWrites.Requires"/>) made from the state each attempt decides
    /// on. When a required lease is not as required, nothing is written and the step says so
    /// (<see cref="Step{T}.RequiredLeaseMissing"/>, with the flow as stored).
    /// </summary>
    public async Task<Step<T>> UpdateAsync<T>(FlowState state, Func<FlowState, (FlowState? Next, T Outcome)> decide, Func<FlowState, StoreWrites?> alongside, CancellationToken ct)
    {
        // After a write of this request, neither the guard's read nor the per-client limit's is the flow any more.
        _readByGuard = null;
        readAhead?.Forget();
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var (next, outcome) = decide(state);
            if (next is null)
            {
                return new Step<T>(state, outcome, null);
            }

            var writes = alongside(state);
            var stored = writes is { IsEmpty: false }
                ? await store.TryReplaceAsync(state, next with { LastActivityAt = Now }, Retain(next), writes, ct).ConfigureAwait(false)
                : await store.TryReplaceAsync(state, next with { LastActivityAt = Now }, Retain(next), ct).ConfigureAwait(false);
            if (stored is not null)
            {
                if (next.Stage is FlowStage.Locked or FlowStage.Failed or FlowStage.Expired && state.Stage != next.Stage)
                {
                    logger.FlowEnded(origin.For(state), next.Stage, next.Problem);
                    metrics.FlowEnded(next.Stage, next.Problem);
                }

                return new Step<T>(stored, outcome, null);
            }

            var (fresh, problem) = await CheckLiveAsync(await store.GetAsync(state.Key, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            if (fresh is null)
            {
                return new Step<T>(null, default!, problem ?? FlowProblem.StartAgain);
            }

            if (writes is { Requires.Count: > 0 } && fresh.Version == state.Version)
            {
                // Nobody wrote the flow meanwhile: it was a required lease that refused the write.
                return new Step<T>(fresh, default!, null) { RequiredLeaseMissing = true };
            }

            state = fresh;
        }

        throw new InvalidOperationException("A flow update kept losing the compare-and-set.");
    }

    /// <summary>What an update left: the stored state and the decision's outcome, or the problem of a flow gone meanwhile.</summary>
    public readonly record struct Step<T>(FlowState? State, T Outcome, FlowProblem? Problem)
    {
        /// <summary>A lease the write required was not as required: nothing was written, <see cref="State"/> is the flow as stored.</summary>
        public bool RequiredLeaseMissing { get; init; }
    }

    /// <summary>An update decision that writes <paramref name="next"/>.</summary>
    public static (FlowState? Next, T Outcome) Change<T>(FlowState next, T outcome) => (next, outcome);

    /// <summary>An update decision that writes nothing.</summary>
    public static (FlowState? Next, T Outcome) NoChange<T>(FlowState _, T outcome) => (null, outcome);

    /// <summary>A terminal copy: the token and the poll link are dropped.</summary>
    public static FlowState Ended(FlowState state, FlowStage stage, FlowProblem? problem) =>
        state with { Stage = stage, Problem = problem, TokenHash = null, TokenState = state.TokenState == TokenState.None ? TokenState.None : TokenState.Used, Push = null };

    // Tombstones outlive the flow so a late request learns "expired" or "already used", not "start again".
    public DateTimeOffset Retain(FlowState state) => state.ExpiresAt + options.Value.FlowLifetime;

    /// <summary>
    /// Ends the flow at <paramref name="stage"/>, cancelling its open push and giving back its push lease.
    /// Returns the ended flow as stored, or null when it was gone or had ended meanwhile.
    /// </summary>
    public Task<FlowState?> EndAsync(FlowState state, FlowStage stage, FlowProblem? problem, CancellationToken ct) =>
        EndAsync(state, stage, problem, StoreWrites.None, ct);

    /// <summary>
    /// <see cref="EndAsync(FlowState, FlowStage, FlowProblem?, CancellationToken)"/>, with writes the ending makes as well (the
    /// token's lease given back): in the same store step as the ended flow and the push lease, or on their own when the flow was gone meanwhile.
    /// </summary>
    public async Task<FlowState?> EndAsync(FlowState state, FlowStage stage, FlowProblem? problem, StoreWrites alongside, CancellationToken ct)
    {
        FlowState? open = null;
        var writes = new StoreWrites { ReleaseLeases = [new LeaseRelease(FlowKeys.PushOpen(state.SubjectKey), state.Key)] }.And(alongside);
        var step = await UpdateAsync(state, s =>
        {
            open = s;
            return Change(Ended(s, stage, problem), true);
        }, writes, ct).ConfigureAwait(false);
        if (step.State is null)
        {
            await store.ApplyAsync(writes, ct).ConfigureAwait(false);
        }

        await CancelOpenPushAsync(open ?? state, open?.Push, ct).ConfigureAwait(false);
        if (step.State is not null && stage is FlowStage.PasswordChanged)
        {
            logger.FlowEnded(origin.For(state), stage, problem);
            metrics.FlowEnded(stage, problem);
        }

        return step.State;
    }

    /// <summary>
    /// Cancels a push that is still waiting (through Okta's <c>cancel</c> link) when the person picks
    /// another method, starts over, or the flow ends, so the phone stops showing a prompt nobody waits
    /// for. A decoy push takes as long as a real cancellation. A failed cancel is logged, never shown:
    /// the push then simply expires on the phone.
    /// </summary>
    public async Task CancelOpenPushAsync(FlowState state, PushState? push, CancellationToken ct)
    {
        if (push is not { Status: PushStatus.Pending } || Now >= push.ExpiresAt)
        {
            return;
        }

        await store.ReleaseLeaseAsync(FlowKeys.PushOpen(state.SubjectKey), state.Key, ct).ConfigureAwait(false);
        var who = origin.For(state);
        if (state.OktaUserId is null || push.PollHandle is not { } pollHandle)
        {
            await latency.PadAsync(FlowOktaCall.CancelPush, ct).ConfigureAwait(false);
            PushAnswered(state, "cancelled-decoy", MetricOutcome.Decoy);
            return;
        }

        var result = await latency.MeasureAsync(FlowOktaCall.CancelPush, () => okta.CancelPushAsync(PushPollHandle.Deserialize(pollHandle), ct)).ConfigureAwait(false);
        var cancelled = result is FactorVerifyResult.Cancelled;
        PushAnswered(state, cancelled ? "cancelled" : "cancel-failed", cancelled ? MetricOutcome.Cancelled : MetricOutcome.Failure);
        if (result is not FactorVerifyResult.Cancelled)
        {
            LogVerifyFailure(FlowOktaCall.CancelPush, result, who);
        }
    }

    /// <summary>Ends the flow as <see cref="FlowStage.Locked"/> because <paramref name="limit"/> was reached.</summary>
    public Task<FlowProblem> LockAsync(FlowState state, string limit, CancellationToken ct) =>
        LockAsync(state, limit, FlowProblem.LimitReached, ct);

    /// <summary>Ends the flow as <see cref="FlowStage.Locked"/> with <paramref name="problem"/> because <paramref name="limit"/> was reached.</summary>
    public async Task<FlowProblem> LockAsync(FlowState state, string limit, FlowProblem problem, CancellationToken ct)
    {
        LimitReached(state, limit);
        await EndAsync(state, FlowStage.Locked, problem, ct).ConfigureAwait(false);
        return problem;
    }

    /// <summary>Logs <paramref name="limit"/> when an update just locked the flow.</summary>
    public void LogLimitIfLocked(FlowState state, string limit)
    {
        if (state.Stage == FlowStage.Locked)
        {
            LimitReached(state, limit);
        }
    }

    /// <summary>Logs and counts a limit reached by a flow.</summary>
    public void LimitReached(FlowState state, string limit) => LimitReached(origin.For(state), limit);

    /// <summary>Logs and counts a limit reached by <paramref name="who"/> (<see cref="RequestOrigin.WithoutFlow"/> before any flow exists).</summary>
    public void LimitReached(AuditActor who, string limit)
    {
        logger.LimitReached(who, limit);
        metrics.LimitReached(limit);
    }

    /// <summary>Logs how a push ended (approved, rejected, timed out, cancelled) and counts it as <paramref name="counted"/>.</summary>
    public void PushAnswered(FlowState state, string outcome, MetricOutcome counted)
    {
        logger.PushAnswered(origin.For(state), outcome);
        metrics.Verification(FactorKind.OktaVerifyPush, VerificationStep.PushAnswered, counted);
    }

    public void LogOktaError(FlowOktaCall operation, OktaError error)
    {
        if (error.RateLimit is { } rate)
        {
            logger.OktaThrottled(origin, operation, rate.Limit, rate.Remaining, rate.ResetAt);
        }

        logger.OktaError(origin, operation, error.HttpStatus, error.ErrorCode, error.ErrorId);
    }

    public void LogReadFailure<T>(FlowOktaCall operation, OktaResult<T> failure)
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

    public void LogUnavailable(FlowOktaCall operation, OktaUnavailable reason) =>
        logger.OktaUnavailable(origin, operation, reason.Kind, reason.HttpStatus, reason.RequestMayHaveReachedOkta);

    public void LogVerifyFailure(FlowOktaCall operation, FactorVerifyResult result, AuditActor who)
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
                logger.OktaRefused(who, operation);
                break;
        }
    }
}
