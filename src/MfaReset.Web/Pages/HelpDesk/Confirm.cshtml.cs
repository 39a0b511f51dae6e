using MfaReset.Web.HelpDesk;

namespace MfaReset.Web.Pages.HelpDesk;

/// <summary>Each action is confirmed on a page of its own, whose form posts it (with antiforgery) to the person page.</summary>
public sealed class ConfirmModel(CallCookie calls, TimeProvider time) : HelpDeskPageModel(calls)
{
    public HelpDeskAction Action { get; private set; }

    public CallRecord Current { get; private set; } = default!;

    public IActionResult OnGet(HelpDeskAction action)
    {
        if (Call is not { } call || !call.IsVerifiedAt(time.GetUtcNow()))
        {
            return RedirectToPage("/HelpDesk/Verify");
        }

        if (!Enum.IsDefined(action))
        {
            return NotFound();
        }

        Action = action;
        Current = call;
        return Page();
    }

    public string Question => Action switch
    {
        HelpDeskAction.LiftPause => "Lift the verification pause for {0}? Codes will be checked for this person again.",
        HelpDeskAction.Unlock => "Unlock {0}'s account in Okta? Their password stays as it is.",
        _ => "End all of {0}'s Okta sessions? They will have to sign in again on every device.",
    };

    public string Button => Action switch
    {
        HelpDeskAction.LiftPause => "Lift the pause",
        HelpDeskAction.Unlock => "Unlock",
        _ => "End the sessions",
    };
}
