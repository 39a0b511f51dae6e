using MfaReset.Web.Http;
using MfaReset.Web.Reset;

namespace MfaReset.Web.Pages.Reset;

/// <summary>
/// Step 5: the password was changed, or an unlock was verified. Shown only for this browser's completed
/// flow, saying what else was done.
/// </summary>
public sealed class DoneModel(ResetFlow flow) : PageModel
{
    /// <summary><see cref="DoneResult.Done"/> or <see cref="DoneResult.Unlocked"/>.</summary>
    public DoneResult Outcome { get; private set; } = default!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await flow.GetDoneAsync(FlowCookies.ReadFlow(Request), cancellationToken);
        if (result is DoneResult.Failed failed)
        {
            return this.RedirectToProblem(failed.Problem);
        }

        Outcome = result;
        return Page();
    }
}
