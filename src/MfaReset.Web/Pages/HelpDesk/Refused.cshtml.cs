namespace MfaReset.Web.Pages.HelpDesk;

/// <summary>Sign-in refused: the agent is not in the help-desk group (403), or the sign-in itself failed (400).</summary>
[IgnoreAntiforgeryToken]
public sealed class RefusedModel : PageModel
{
    public bool SignInFailed { get; private set; }

    public void OnGet(string? reason)
    {
        SignInFailed = reason == "failed";
        Response.StatusCode = SignInFailed ? StatusCodes.Status400BadRequest : StatusCodes.Status403Forbidden;
    }
}
