using System.ComponentModel.DataAnnotations;
using MfaReset.Web.Flow;
using MfaReset.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MfaReset.Web.Pages.Reset;

/// <summary>Step 2: how to prove it's you. The browser submits only a menu key, never an Okta id.</summary>
public sealed class ChooseFactorModel(ResetFlow flow) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<FactorOption> Options { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var menu = await flow.GetMenuAsync(FlowCookies.ReadFlow(Request), cancellationToken);
        if (menu is MenuResult.Failed failed)
        {
            return this.RedirectToProblem(failed.Problem);
        }

        var shown = (MenuResult.Menu)menu;
        Options = shown.Options;
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
                    ModelState.AddModelError("Input.Choice", "Choose one of the methods listed.");
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
        [StringLength(32)]
        public string? Choice { get; set; }
    }
}
