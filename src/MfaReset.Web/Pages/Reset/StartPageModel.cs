using System.ComponentModel.DataAnnotations;
using MfaReset.Web.Http;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Pages.Reset;

/// <summary>
/// Step 1 of a reset or an unlock: the username. Every input leads to the factor choice, real or not;
/// the two entries differ only in what the flow does after verification.
/// </summary>
public abstract class StartPageModel(ResetFlow flow) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>What the started flow is for.</summary>
    protected abstract FlowPurpose Purpose { get; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await flow.StartAsync(Input.Username!, FlowCookies.ReadFlow(Request), Purpose, cancellationToken);
        switch (result)
        {
            case StartResult.Started started:
                FlowCookies.StartFlow(Response, started.FlowSecret);
                return RedirectToPage("/Reset/ChooseFactor");
            case StartResult.Failed failed:
                return this.RedirectToProblem(failed.Problem);
            default:
                throw new InvalidOperationException($"Unexpected {result.GetType().Name}.");
        }
    }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your username or email.")]
        [StringLength(256, ErrorMessage = "Enter at most 256 characters.")]
        [RegularExpression(@"^[^\p{Cc}]*$", ErrorMessage = "Enter your username or email without special characters.")]
        [Display(Name = "Username or email")]
        public string? Username { get; set; }
    }
}
