using System.ComponentModel.DataAnnotations;
using MfaReset.Web.HelpDesk;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Pages.HelpDesk;

/// <summary>The console's start: the caller's username starts a caller check; a reference from a problem page can be looked up.</summary>
public sealed class IndexModel(CallerCheck check, CallCookie calls) : HelpDeskPageModel(calls)
{
    [BindProperty]
    public LookupInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Notice { get; set; }

    public string? NoticeText => Notice switch
    {
        "not-found" => "Okta has no account with that username. Check the spelling with the caller.",
        "not-verifiable" => "This account can't be verified here: it isn't active in Okta (suspended, deactivated or not yet activated). An Okta administrator can help.",
        "no-methods" => "This person has no method the console can use (Okta Verify, a text message, a voice call or an authenticator app). Follow your organization's other identity checks.",
        "agent-limit" => "You've looked up as many people as allowed for now. Lookups are limited so the console can't be used to browse people without a call.",
        "limit" => "This person has started too many resets or checks recently. Try again later.",
        "busy" => "Okta is busy or unreachable right now. Nothing was sent. Try again in a few minutes.",
        "ended" => "That check has ended. Start again with the caller's username.",
        _ => null,
    };

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await check.LookUpAsync(Agent, Input.Username!, Call, cancellationToken);
        switch (result)
        {
            case LookupResult.Found found:
                SaveCall(found.Call);
                return RedirectToPage("/HelpDesk/Verify");
            case LookupResult.NotFound:
                return ToStart("not-found");
            case LookupResult.NotVerifiable:
                return ToStart("not-verifiable");
            case LookupResult.NoMethods:
                return ToStart("no-methods");
            case LookupResult.AgentLimitReached:
                return ToStart("agent-limit");
            case LookupResult.Failed { Problem: FlowProblem.LimitReached }:
                return ToStart("limit");
            default:
                return ToStart("busy");
        }
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HelpDeskSetup.SignOutAsync(HttpContext, Agent);
        return RedirectToPage("/HelpDesk/SignedOut");
    }

    public sealed class LookupInput
    {
        [Required(ErrorMessage = "Enter the caller's username.")]
        [StringLength(256, ErrorMessage = "A username is at most 256 characters.")]
        [RegularExpression(@"^[^\p{C}]*$", ErrorMessage = "A username can't contain control characters.")]
        [Display(Name = "Caller's username")]
        public string? Username { get; set; }
    }
}
