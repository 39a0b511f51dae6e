using System.Globalization;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;

namespace MfaReset.Web.Reset;

/// <summary>
/// The verification pause: a person's failed code checks in a row, counted so that a stranger typing
/// wrong codes can never drive Okta's own counter (which locks the account at its fifth failure) to a
/// lockout, yet can never hold the person for long either. The count covers only code checks Okta would
/// count (an answered check of a real factor, or its decoy twin for an unknown username, so both pause
/// alike); pushes are not counted (Okta does not count a denied or unanswered push), nor checks the
/// portal refused itself or that never reached Okta. A pause ends at the first of: a success in the
/// portal, a success Okta shows (<see cref="ClearIfOktaShowsSuccessAsync"/>), <see cref="ResetLimits.PauseDuration"/>
/// after its first failure, or the help desk lifting it (<see cref="LiftAsync"/>). One client may cause
/// only <see cref="ResetLimits.CountedFailuresPerClientPerHour"/> counted failures an hour, across all usernames.
/// </summary>
public sealed class VerificationPause(IFlowStore store, TimeProvider timeProvider, IOptions<ResetOptions> options)
{
    private static readonly TimeSpan ClientWindow = TimeSpan.FromHours(1);

    private ResetLimits Limits => options.Value.Limits;

    /// <summary>
    /// Reserves one code check for <paramref name="subject"/> asked from <paramref name="clientIp"/>: the client's
    /// hourly count first (a refusal there touches no person's count), then the person's count in a row.
    /// </summary>
    public Task<PauseReservation> TryReserveAsync(string subject, string clientIp, CancellationToken ct) =>
        TryReserveAsync(subject, clientIp, [], ct);

    /// <summary>
    /// <see cref="TryReserveAsync(string, string, CancellationToken)"/> with the step's own counters (<paramref name="alongside"/>)
    /// recorded together with the person's count, all or nothing, in one store step with the time of the last failure.
    /// A refusal by one of them is <see cref="PauseReservation.AlongsideRefusedBy"/>, with nothing of the pause's held.
    /// </summary>
    public async Task<PauseReservation> TryReserveAsync(string subject, string clientIp, IReadOnlyList<CountedEvent> alongside, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(alongside);
        var client = FlowKeys.FailuresByClient(clientIp);
        if (!await store.TryRecordEventAsync(client, [new RateRule(Limits.CountedFailuresPerClientPerHour, ClientWindow)], ct).ConfigureAwait(false))
        {
            return new PauseReservation(PauseRefusal.Client, null, client);
        }

        // The person's count, the step's counters and, once all are recorded, when the last failure was counted (on the
        // portal's clock: a success Okta shows after it ends the pause), in one step.
        var counter = FlowKeys.Unverified(subject, await EpochAsync(subject, ct).ConfigureAwait(false));
        var lastFailure = new LeaseHold(FlowKeys.LastFailure(subject), timeProvider.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture), Limits.PauseDuration);
        var refusedBy = await store.TryRecordEventsAsync(
            [new CountedEvent(counter, [new RateRule(ResetLimits.ConsecutiveFailures, Limits.PauseDuration)]), .. alongside],
            new StoreWrites { SetLeases = [lastFailure] }, ct).ConfigureAwait(false);
        if (refusedBy is not null)
        {
            await store.ForgetEventAsync(client, ct).ConfigureAwait(false);
            return refusedBy == 0
                ? new PauseReservation(PauseRefusal.Person, null, null)
                : new PauseReservation(null, null, null) { AlongsideRefusedBy = refusedBy - 1 };
        }

        return new PauseReservation(null, counter, client);
    }

    /// <summary>The reserved check turned out not to count (Okta never received it): both counts are given back, in one step.</summary>
    public async Task GiveBackAsync(PauseReservation reservation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        string[] counters = [.. new[] { reservation.Counter, reservation.Client }.OfType<string>()];
        if (counters.Length > 0)
        {
            await store.ForgetEventsAsync(counters, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The counters to give back when the reserved check succeeded: <paramref name="alongside"/> and the client's
    /// (a success is no failure of the client's; the person's count is cleared by <see cref="ClearAsync"/>).
    /// </summary>
    public IReadOnlyList<string> SucceededCounters(PauseReservation? reservation, string alongside) =>
        reservation?.Client is { } client ? [alongside, client] : [alongside];

    /// <summary>
    /// Ends the pause of <paramref name="subject"/> when Okta shows a success (<paramref name="lastSuccessSeen"/>:
    /// a sign-in, a password set, a status change) after the last counted failure, by more than Okta's clock may
    /// lag: Okta's own counter restarted then. Reads the store for every username, so unknown ones take as long.
    /// </summary>
    public async Task ClearIfOktaShowsSuccessAsync(string subject, DateTimeOffset? lastSuccessSeen, CancellationToken ct)
    {
        var last = await store.GetLeaseHolderAsync(FlowKeys.LastFailure(subject), ct).ConfigureAwait(false);
        if (last is not null && lastSuccessSeen is { } success
            && long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && success > new DateTimeOffset(ticks, TimeSpan.Zero) + options.Value.OktaClockSkew)
        {
            await ClearAsync(subject, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The help desk lifts the pause of each of <paramref name="subjects"/> (see <see cref="PauseLift"/>).</summary>
    public async Task LiftAsync(IEnumerable<string> subjects, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        foreach (var subject in subjects)
        {
            await ClearAsync(subject, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The person's current count is named after its first failure (an epoch, taken by that failure and kept
    /// <see cref="ResetLimits.PauseDuration"/>): when it lapses, or is cleared, the next failure starts a new count.
    /// </summary>
    private async Task<string> EpochAsync(string subject, CancellationToken ct)
    {
        var key = FlowKeys.PauseEpoch(subject);
        var fresh = FlowSecrets.NewSecret();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            if (await store.TryAcquireLeaseAsync(key, fresh, Limits.PauseDuration, ct).ConfigureAwait(false))
            {
                return fresh;
            }

            // Held by an earlier failure; it may lapse between the two calls, so ask again.
            if (await store.GetLeaseHolderAsync(key, ct).ConfigureAwait(false) is { } held)
            {
                return held;
            }
        }

        throw new InvalidOperationException("The verification pause's epoch kept lapsing between two store calls.");
    }

    /// <summary>A success (a code, an approved push, a password set): the person's count starts again.</summary>
    public async Task ClearAsync(string subject, CancellationToken ct) => await store.ApplyAsync(Cleared(subject), ct).ConfigureAwait(false);

    /// <summary>
    /// The write that starts the person's count again (<see cref="ClearAsync"/>), for a step that makes it with writes of
    /// its own in one store round trip: the epoch is given back whoever holds it. A failure counted at the same moment
    /// under that epoch is forgotten with it, as if it had come before the success; Okta may order the two either way.
    /// The last failure's time may stay: every later failure overwrites it, so it never predates the count it describes.
    /// </summary>
    public static StoreWrites Cleared(string subject) => new() { ReleaseLeases = [new LeaseRelease(FlowKeys.PauseEpoch(subject), null)] };
}

/// <summary>Which count refused a code check.</summary>
public enum PauseRefusal
{
    /// <summary>The person's failures in a row reached <see cref="ResetLimits.ConsecutiveFailures"/>: the verification pause.</summary>
    Person,

    /// <summary>The asking client's failures this hour reached <see cref="ResetLimits.CountedFailuresPerClientPerHour"/>.</summary>
    Client,
}

/// <summary>A code check reserved against both counts (<see cref="Refused"/> null), or the count that refused it.</summary>
/// <param name="Refused">The count that refused the check, or null when it may go on.</param>
/// <param name="Counter">The person's counter the check was counted in, to give it back.</param>
/// <param name="Client">The client's counter the check was counted in, to give it back.</param>
public sealed record PauseReservation(PauseRefusal? Refused, string? Counter, string? Client)
{
    /// <summary>Which of the step's own counters refused the check (its index), nothing of the pause's then held; null when none did.</summary>
    public int? AlongsideRefusedBy { get; init; }
}
