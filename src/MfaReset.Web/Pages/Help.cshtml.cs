namespace MfaReset.Web.Pages;

/// <summary>The way out for people who can't use any method: the help desk from <c>Branding</c>. Knows nothing of any flow, so it is the same for every username.</summary>
public sealed class HelpModel(IOptions<BrandingOptions> branding) : PageModel
{
    public BrandingOptions Branding => branding.Value;

    public void OnGet()
    {
    }
}
