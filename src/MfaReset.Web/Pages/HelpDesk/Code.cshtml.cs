using System.ComponentModel.DataAnnotations;
using MfaReset.Web.HelpDesk;

namespace MfaReset.Web.Pages.HelpDesk;

/// <summary>The code the caller reads back (from a text, a call or their app), checked by Okta through the reset flow.</summary>
public sealed class CodeModel(CallerCheck check, CallCookie calls) : HelpDeskPageModel(calls)
{
    public CallRecord Current { get; private set; } = default!;

    [BindProperty]
    [Required(ErrorMessage = "Enter the code the caller reads to you.")]
    [StringLength(16, ErrorMessage = "Enter the code the caller reads to you.")]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? AttemptsLeft { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Wrong { get; set; }

    public IActionResult OnGet()
    {
        if (Call is not { Method: not null } call)
        {
            return ToStart("ended");
        }

        Current = call;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Call is not { Method: not null } call)
        {
            return ToStart("ended");
        }

        if (!ModelState.IsValid)
        {
            Current = call;
            return Page();
        }

        var result = await check.VerifyCodeAsync(Agent, call, Code, cancellationToken);
        SaveCall(result.Call);
        return result.Outcome switch
        {
            CheckOutcome.Verified => RedirectToPage("/HelpDesk/Person", new { handler = (string?)null }),
            CheckOutcome.WrongCode => RedirectToPage(new { wrong = true, attemptsLeft = result.AttemptsLeft }),
            _ => RedirectToPage("/HelpDesk/Verify", new { result = VerifyModel.ResultName(result) }),
        };
    }
}
