using MfaReset.Web.Options;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace MfaReset.Web.Pages.Reset;

/// <summary>Step 5: the password was changed. The flow is gone; this page knows nothing about anyone.</summary>
public sealed class DoneModel(IOptions<BrandingOptions> branding, IOptions<ResetOptions> options) : PageModel
{
    public string? SignInUrl => branding.Value.SignInUrl;

    public bool SessionsRevoked => options.Value.RevokeSessions;

    public void OnGet()
    {
    }
}
