using MfaReset.Web.HelpDesk;

namespace MfaReset.Web.Pages.HelpDesk;

/// <summary>
/// The verified caller: Okta's status, provider and methods, the portal's own record (recent flows, the pause,
/// recent sends and pushes), and the actions, each confirmed on its own page and posted back here.
/// </summary>
public sealed class PersonModel(PersonRecord record, CallCookie calls, TimeProvider time, IOptions<ResetOptions> reset) : HelpDeskPageModel(calls)
{
    public CallRecord Current { get; private set; } = default!;

    public PersonView View { get; private set; } = default!;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The last action's outcome, as "action:outcome"; only known values are shown.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public string? DoneText => Done switch
    {
        "LiftPause:Done" => "The verification pause is lifted. A push works now; codes can stay refused until this person's recent wrong codes are more than {0} minutes old.",
        "LiftPause:Failed" => "Okta couldn't be asked, so only the typed username's pause was lifted. Try again in a moment.",
        "Unlock:Done" => "The account is unlocked in Okta.",
        "Unlock:NotNeeded" => "Nothing was done: the account isn't locked out.",
        "Unlock:NotAllowed" => "Nothing was done: your organization's rule doesn't allow unlocking this account here.",
        "Unlock:Failed" => "Okta didn't unlock the account. Nothing changed; try again in a moment.",
        "EndSessions:Done" => "The person's Okta sessions are ended: they must sign in again everywhere.",
        "EndSessions:Failed" => "Okta didn't end the sessions. Nothing changed; try again in a moment.",
        _ => null,
    };

    /// <summary>
    /// The reset pages' per-person window for wrong codes: lifting the pause leaves that limit as it is, so the
    /// outcome says how long codes may still be refused (a push works at once).
    /// </summary>
    public int CodeWindowMinutes => (int)Math.Ceiling(reset.Value.Limits.PerUserWindow.TotalMinutes);

    public bool DoneIsFailure => Done?.EndsWith(":Done", StringComparison.Ordinal) is false;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Call is not { } call)
        {
            return ToStart("ended");
        }

        switch (await record.GetAsync(call, cancellationToken))
        {
            case PersonViewResult.Ready ready:
                Current = call;
                View = ready.View;
                return Page();
            case PersonViewResult.NotVerified:
                return RedirectToPage("/HelpDesk/Verify");
            default:
                return ToStart("busy");
        }
    }

    public async Task<IActionResult> OnPostActAsync(HelpDeskAction action, CancellationToken cancellationToken)
    {
        if (Call is not { } call)
        {
            return ToStart("ended");
        }

        if (!Enum.IsDefined(action))
        {
            return BadRequest();
        }

        var outcome = await record.ActAsync(Agent, call, action, cancellationToken);
        return outcome == ActionOutcome.NotVerified
            ? RedirectToPage("/HelpDesk/Verify")
            : RedirectToPage(new { handler = (string?)null, done = $"{action}:{outcome}" });
    }
}
