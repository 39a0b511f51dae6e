using System.Globalization;
using MfaReset.Web.Reset.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace MfaReset.Web.Tests.Pages;

/// <summary>Okta's password-policy causes, turned into plain sentences in the person's language.</summary>
public sealed class PasswordRulesLanguageTests(Support.PortalApp app) : IClassFixture<Support.PortalApp>
{
    [Theory]
    [InlineData("be at least 10 characters long", "mindestens 10 Zeichen lang sein")]
    [InlineData("include at least 2 symbols", "mindestens 2 Sonderzeichen enthalten")]
    [InlineData("not be one of your last 24 passwords", "keines Ihrer letzten 24 Passwörter sein")]
    [InlineData("not contain your first name", "nicht Ihren Vornamen enthalten")]
    [InlineData("a rule only this org writes", "a rule only this org writes")]
    public void PolicyChecklistLinesAreShownInThePersonsLanguage(string rule, string german)
    {
        var text = app.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("de");
        try
        {
            Assert.Equal(german, PasswordRules.Show(text, rule));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Theory]
    [InlineData("de", "Verwenden Sie mindestens 12 Zeichen.", "Wählen Sie ein Passwort, das Sie noch nicht verwendet haben: Es darf keines Ihrer letzten 4 sein.")]
    [InlineData("es", "Use al menos 12 caracteres.", "Elija una contraseña que no haya usado antes: no puede ser ninguna de sus 4 últimas.")]
    [InlineData("en", "Use at least 12 characters.", "Choose a password you haven't used before: it can't be one of your last 4.")]
    public void OktaCausesAreExplainedInThePersonsLanguage(string culture, string length, string history)
    {
        var text = app.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        try
        {
            var sentences = PasswordRules.Explain(["Password requirements: at least 12 characters.", "Password cannot be your current password or one of your last 4 passwords."], text);

            Assert.Equal([length, history], sentences);
        }
        finally
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = before;
        }
    }
}
