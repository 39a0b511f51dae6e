using MfaReset.Web.Hosting;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Reset;

/// <summary>
/// The help desk lifts a person's verification pause by the username they give (after confirming who they
/// are): the pause of the Okta account it names, found as the username step finds it, and of the typed name
/// itself, which is what counts when Okta knows no such account. Run as <c>lift-pause &lt;username&gt;</c>
/// (<see cref="HelpDeskCommand"/>); a help-desk console calls the same.
/// </summary>
public sealed class PauseLift(IOktaClient okta, VerificationPause pause, IOptions<ResetOptions> options, ILogger<PauseLift> logger)
{
    public async Task<PauseLiftOutcome> LiftAsync(string username, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        var login = username.Trim();
        var typed = FlowKeys.LoginSubject(login, options.Value.LoginDomain);
        var (outcome, subjects) = await okta.GetUserAsync(login, cancellationToken).ConfigureAwait(false) switch
        {
            OktaResult<OktaUser>.Ok { Value: var user } => (PauseLiftOutcome.Lifted, new[] { FlowKeys.UserSubject(user.Id), typed }),
            OktaResult<OktaUser>.NotFound => (PauseLiftOutcome.NoSuchAccount, [typed]),
            _ => (PauseLiftOutcome.OktaUnavailable, [typed]),
        };
        await pause.LiftAsync(subjects, cancellationToken).ConfigureAwait(false);
        logger.PauseLifted(subjects[0], outcome.ToString());
        return outcome;
    }
}

/// <summary>What <see cref="PauseLift.LiftAsync"/> did.</summary>
public enum PauseLiftOutcome
{
    /// <summary>The account's pause (and the typed name's) is lifted.</summary>
    Lifted,

    /// <summary>Okta knows no such account: only the typed name's pause is lifted.</summary>
    NoSuchAccount,

    /// <summary>Okta could not be asked: only the typed name's pause is lifted; run it again later.</summary>
    OktaUnavailable,
}
