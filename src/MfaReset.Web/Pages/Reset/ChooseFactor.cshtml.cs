using System.ComponentModel.DataAnnotations;
using MfaReset.Web.Http;
using MfaReset.Web.Reset;

namespace MfaReset.Web.Pages.Reset;

/// <summary>Step 2: how to prove it's you. The browser submits only a menu key, never an Okta id.</summary>
public sealed class ChooseFactorModel(ResetFlow flow, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>Sent back here because text messages and calls cannot be sent now.</summary>
    public const string PhoneUnavailableNotice = "phone-unavailable";

    public IReadOnlyList<FactorOption> Options { get; private set; } = [];

    /// <summary>A short notice after a redirect; only known values are shown.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Notice { get; set; }

    /// <summary>One method is verified; the reset needs a second, different one.</summary>
    public bool SecondMethod { get; private set; }

    public string? NoticeText => Notice switch
    {
        PhoneUnavailableNotice => "We can't send codes by text message or voice call right now. Choose another method.",
        _ => null,
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var menu = await flow.GetMenuAsync(FlowCookies.ReadFlow(Request), cancellationToken);
        if (menu is MenuResult.Failed failed)
        {
            return this.RedirectToProblem(failed.Problem);
        }

        var shown = (MenuResult.Menu)menu;
        Options = shown.Options;
        SecondMethod = shown.SecondMethod;
        Input.Choice ??= shown.SelectedKey;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var result = await flow.ChooseAsync(FlowCookies.ReadFlow(Request), Input.Choice, cancellationToken);
            switch (result)
            {
                case ChooseResult.EnterCode:
                    return RedirectToPage("/Reset/VerifyCode");
                case ChooseResult.WaitForPush:
                    return RedirectToPage("/Reset/WaitForPush");
                case ChooseResult.Failed failed:
                    return this.RedirectToProblem(failed.Problem);
                case ChooseResult.UnknownChoice:
                    ModelState.AddModelError("Input.Choice", text["Choose one of the methods listed."]);
                    break;
                case ChooseResult.VerificationInFlight:
                    // The method in use is being checked with Okta this very moment (another tab, a poll): nothing changed.
                    Response.StatusCode = StatusCodes.Status409Conflict;
                    ModelState.AddModelError("Input.Choice", text["We're still checking the method you're using. Wait a moment, then choose again."]);
                    break;
            }
        }

        var menu = await flow.GetMenuAsync(FlowCookies.ReadFlow(Request), cancellationToken);
        if (menu is not MenuResult.Menu again)
        {
            return this.RedirectToProblem(((MenuResult.Failed)menu).Problem);
        }

        Options = again.Options;
        return Page();
    }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Choose how you want to confirm it's you.")]
        [StringLength(32, ErrorMessage = "Choose one of the methods listed.")]
        public string? Choice { get; set; }
    }
}
