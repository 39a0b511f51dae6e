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

    /// <summary>How to reach the help desk, shown at the foot of every page.</summary>
    [StringLength(200)]
    public string HelpText { get; set; } = "If you keep having trouble, contact your IT help desk.";

    /// <summary>The help desk's phone number, on the help page (a <c>tel:</c> link).</summary>
    [StringLength(40), RegularExpression(@"^\+?[0-9 ().\-]+$", ErrorMessage = "Branding:HelpDeskPhone must be a phone number such as +1 202 555 0100.")]
    public string? HelpDeskPhone { get; set; }

    /// <summary>When the help desk answers, e.g. "Monday to Friday, 8:00 to 18:00 (Eastern time)".</summary>
    [StringLength(120)]
    public string? HelpDeskHours { get; set; }

    /// <summary>A ticket form or chat for people who can't reset here.</summary>
    [Url]
    public string? HelpUrl { get; set; }

    /// <summary>The text of the <see cref="HelpUrl"/> link.</summary>
    [StringLength(60)]
    public string HelpUrlText { get; set; } = "Ask the help desk online";

    /// <summary>Whether any way to reach the help desk is configured.</summary>
    public bool HasHelpDeskContact => HelpDeskPhone is not null || HelpDeskHours is not null || HelpUrl is not null;

    /// <summary>The phone number as a <c>tel:</c> target: digits and a leading plus only.</summary>
    public string HelpDeskPhoneLink => new([.. (HelpDeskPhone ?? string.Empty).Where(c => char.IsAsciiDigit(c) || c == '+')]);
}
