using System.Globalization;
using MfaReset.Web.Reset.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace MfaReset.Web.Tests.Pages;

/// <summary>Okta's password-policy causes, turned into plain sentences in the person's language.</summary>
public sealed class PasswordRulesLanguageTests(Support.PortalApp app) : IClassFixture<Support.PortalApp>
{
    [Theory]
    [InlineData(PasswordRuleKind.MinLength, 10, "mindestens 10 Zeichen lang sein")]
    [InlineData(PasswordRuleKind.Symbol, 2, "mindestens 2 Sonderzeichen enthalten")]
    [InlineData(PasswordRuleKind.Symbol, 1, "ein Sonderzeichen enthalten")]
    [InlineData(PasswordRuleKind.History, 24, "keines Ihrer letzten 24 Passwörter sein")]
    [InlineData(PasswordRuleKind.NoFirstName, 0, "nicht Ihren Vornamen enthalten")]
    public void PolicyChecklistLinesAreShownInThePersonsLanguage(PasswordRuleKind kind, int count, string german)
    {
        var text = app.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        Assert.Equal(german, InCulture("de", () => new PasswordRule(kind, count).Show(text)));
    }

    [Fact]
    public void AConfiguredSentenceIsShownAsConfiguredUnlessTheResourcesHaveIt()
    {
        var text = app.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        Assert.Equal("a rule only this org writes", InCulture("de", () => PasswordRule.Configured("a rule only this org writes").Show(text)));
    }

    /// <summary>
    /// A policy with every rule, beside the portal's own lines: each line shown once (the policy's username and
    /// common-password lines are the portal's), every one translated, none the same sentence twice.
    /// </summary>
    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("fr")]
    [InlineData("de")]
    public void AChecklistWithEveryRuleShowsEachLineOnceInEveryLanguage(string culture)
    {
        var text = app.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var checklist = app.Services.GetRequiredService<PasswordChecks>().ChecklistOf(PasswordRule.From(PasswordRulesTests.EveryRule));
        var english = InCulture("en", () => checklist.Select(rule => rule.Show(text)).ToList());

        var shown = InCulture(culture, () => checklist.Select(rule => rule.Show(text)).ToList());

        Assert.Equal(10, shown.Count); // the policy's ten settings; the portal's common and personal-words lines are two of them
        Assert.Equal(shown.Count, shown.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(culture == "en" ? shown.Count : 0, shown.Intersect(english, StringComparer.Ordinal).Count());
        Assert.Contains(shown, line => line.Contains("12", StringComparison.Ordinal) && !line.Contains("{0}", StringComparison.Ordinal));
    }

    private static T InCulture<T>(string culture, Func<T> show)
    {
        var before = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        try
        {
            return show();
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = before;
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
