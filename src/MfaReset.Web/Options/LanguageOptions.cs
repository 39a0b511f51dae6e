namespace MfaReset.Web.Options;

/// <summary><c>Localization:*</c>.</summary>
public sealed class LanguageOptions
{
    public const string SectionName = "Localization";

    /// <summary>Offer the pseudo-locale <c>qps-ploc</c> (tests, translators); never in production.</summary>
    public bool PseudoLocale { get; set; }
}
