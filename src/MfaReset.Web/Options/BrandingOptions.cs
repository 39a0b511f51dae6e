using System.ComponentModel.DataAnnotations;

namespace MfaReset.Web.Options;

/// <summary>How the portal looks and where it sends people afterwards. Bound from <c>Branding</c>.</summary>
public sealed class BrandingOptions
{
    public const string SectionName = "Branding";

    /// <summary>Shown in the header and page titles.</summary>
    [Required, StringLength(80)]
    public string OrganizationName { get; set; } = "MfaReset";

    /// <summary>A logo under <c>wwwroot</c> (the CSP allows no other origin), e.g. <c>/img/logo.svg</c>; none when empty.</summary>
    [RegularExpression(@"^/[A-Za-z0-9/_\-.]+$", ErrorMessage = "Branding:LogoPath must be a local path such as /img/logo.svg.")]
    public string? LogoPath { get; set; }

    /// <summary>Main colour (buttons, links, focus ring) as <c>#rrggbb</c>; choose one with 4.5:1 contrast on white.</summary>
    [Required, RegularExpression("^#[0-9a-fA-F]{6}$", ErrorMessage = "Branding:PrimaryColor must look like #0b5cad.")]
    public string PrimaryColor { get; set; } = "#0b5cad";

    /// <summary>Where people sign in after the reset (the Okta sign-in page); a link on the done page.</summary>
    [Url]
    public string? SignInUrl { get; set; }

    /// <summary>How to reach the help desk, shown on error pages.</summary>
    [StringLength(200)]
    public string HelpText { get; set; } = "If you keep having trouble, contact your IT help desk.";
}
