using System.Globalization;
using MfaReset.Web.Hosting;

namespace MfaReset.Web.Reset.OktaCalls;

/// <summary>The language Okta's SMS and voice templates should speak: the page's language (the pseudo-locale speaks English).</summary>
public static class OktaLanguage
{
    public static string Current
    {
        get
        {
            var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            return PortalLocalization.Languages.Any(l => l.Culture == language) ? language : "en";
        }
    }
}
