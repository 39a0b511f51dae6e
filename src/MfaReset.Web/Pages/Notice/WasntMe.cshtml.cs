using MfaReset.Web.Notifications;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Pages.Notice;

/// <summary>
/// "This wasn't me", opened from a change notice. The GET only asks for confirmation and is the same page for
/// every link, valid or not (mail scanners follow links; whoever opens a forwarded one learns nothing). The POST
/// hands the link's token to <see cref="WasntMe"/> and shows what it did.
/// </summary>
public sealed class WasntMeModel(WasntMe wasntMe, IOptions<BrandingOptions> branding) : PageModel
{
    public BrandingOptions Branding => branding.Value;

    /// <summary>The link's token: from the path on GET, from the form on POST.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    /// <summary>What the confirmation did; null while asking.</summary>
    public WasntMeOutcome? Outcome { get; private set; }

    public void OnGet()
    {
        // A token of the wrong shape is kept out of the form rather than echoed back.
        if (!FlowSecrets.IsWellFormed(Token))
        {
            Token = null;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Outcome = await wasntMe.ReportAsync(Token, cancellationToken);
        Token = null;
        Response.StatusCode = Outcome switch
        {
            WasntMeOutcome.SessionsEnded => StatusCodes.Status200OK,
            WasntMeOutcome.SessionsNotEnded => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status410Gone,
        };
        return Page();
    }
}
