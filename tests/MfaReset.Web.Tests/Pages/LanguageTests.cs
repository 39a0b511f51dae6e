using System.Net;
using MfaReset.Web.Hosting;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The portal in English, Spanish, French and German: chosen by Accept-Language, switched by the language links.</summary>
public sealed class LanguageTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    [Theory]
    [InlineData("es-MX,es;q=0.9,en;q=0.5", "es", "¿Ha olvidado su contraseña?")]
    [InlineData("fr-CA", "fr", "Mot de passe oublié\u00a0?")]
    [InlineData("de-AT,de;q=0.8", "de", "Passwort vergessen?")]
    [InlineData("en-GB", "en", "Forgot your password?")]
    public async Task PagesSpeakTheLanguageTheBrowserAsksFor(string acceptLanguage, string language, string heading)
    {
        using var browser = App.NewBrowser();
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);

        await browser.GetAsync("/");

        Assert.Equal(heading, browser.Heading);
        Assert.Equal(language, browser.Page.DocumentElement.GetAttribute("lang"));
        Assert.Equal([language], browser.Response.Content.Headers.ContentLanguage);
    }

    [Theory]
    [InlineData("ja-JP,zh;q=0.8")]
    [InlineData("")]
    public async Task WithoutASupportedLanguageThePortalSpeaksEnglish(string acceptLanguage)
    {
        using var browser = App.NewBrowser();
        if (acceptLanguage.Length > 0)
        {
            browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        }

        await browser.GetAsync("/");

        Assert.Equal("Forgot your password?", browser.Heading);
        Assert.Equal("en", browser.Page.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task ChosenLanguageIsKeptInASecureSessionCookieAndWinsOverTheBrowsersLanguage()
    {
        using var browser = App.NewBrowser();
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");

        await browser.GetAsync("/language/de?returnUrl=%2Fhelp");

        Assert.Equal(HttpStatusCode.SeeOther, browser.Response.StatusCode);
        Assert.Equal("/help", browser.Location);
        var setCookie = Assert.Single(browser.Response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(PortalLocalization.CookieName + "=", setCookie, StringComparison.Ordinal);
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("max-age", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain", setCookie, StringComparison.OrdinalIgnoreCase);

        await browser.GetAsync("/help");
        Assert.Equal("Hilfe von Ihrem Helpdesk erhalten", browser.Heading);
        Assert.Equal("de", browser.Page.DocumentElement.GetAttribute("lang"));
    }

    [Theory]
    [InlineData("c=xx|uic=xx")]
    [InlineData("c=qps-ploc|uic=qps-ploc")]
    [InlineData("garbage%00\u00e9")]
    public async Task LanguageCookieNamingNoOfferedLanguageLeavesTheBrowsersLanguage(string value)
    {
        using var browser = App.NewBrowser();
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");
        browser.Cookies.Add(PortalBrowser.BaseAddress, new System.Net.Cookie(PortalLocalization.CookieName, Uri.EscapeDataString(value), "/") { Secure = true });

        await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal("fr", browser.Page.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task EveryPageLinksToEachLanguageComingBackToItself()
    {
        using var browser = App.NewBrowser();
        await browser.StartAsync("tom.totp@example.com");

        var links = browser.Page.QuerySelectorAll("nav.language-switch a").Select(a => (a.GetAttribute("lang"), a.TextContent, a.GetAttribute("href"))).ToList();

        Assert.Equal(
            [
                ("en", "English", "/language/en?returnUrl=%2Freset%2Fmethod"),
                ("es", "Español", "/language/es?returnUrl=%2Freset%2Fmethod"),
                ("fr", "Français", "/language/fr?returnUrl=%2Freset%2Fmethod"),
                ("de", "Deutsch", "/language/de?returnUrl=%2Freset%2Fmethod"),
            ],
            links);
        Assert.Equal("English", browser.Page.QuerySelector("nav.language-switch a[aria-current='true']")?.TextContent);
    }

    [Theory]
    [InlineData("%2Fhelp%3Fq%3D%C3%A9t%C3%A9", "/help?q=%C3%A9t%C3%A9")] // "/help?q=été"
    [InlineData("%2Fr%C3%A9initialiser%20mot", "/r%C3%A9initialiser%20mot")]
    [InlineData("%2F%E6%97%A5%E6%9C%AC", "/%E6%97%A5%E6%9C%AC")]
    [InlineData("%2Fa%C2%A0b", "/a%C2%A0b")] // a no-break space
    public async Task ANonAsciiReturnPathComesBackPercentEncodedInAHeaderKestrelCanSend(string escapedReturnUrl, string location)
    {
        using var browser = App.NewBrowser();

        await browser.GetAsync("/language/fr?returnUrl=" + escapedReturnUrl);

        Assert.Equal(HttpStatusCode.SeeOther, browser.Response.StatusCode);
        Assert.Equal(location, browser.Location);
        Assert.All(location, c => Assert.InRange(c, '!', '~'));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("evil.example")]
    [InlineData("/\r\nSet-Cookie: x=y")]
    public async Task LanguageLinkNeverLeadsOffTheSite(string returnUrl)
    {
        using var browser = App.NewBrowser();

        await browser.GetAsync("/language/fr?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.SeeOther, browser.Response.StatusCode);
        Assert.Equal("/", browser.Location);
    }

    [Theory]
    [InlineData("it")]
    [InlineData("qps-ploc")]
    public async Task LanguageThePortalDoesNotOfferIsNotFound(string culture)
    {
        using var browser = App.NewBrowser();

        await browser.GetAsync($"/language/{culture}?returnUrl=%2F");

        Assert.Equal(HttpStatusCode.NotFound, browser.Response.StatusCode);
        Assert.Null(browser.Cookie(PortalLocalization.CookieName));
    }

    [Theory]
    [InlineData("es-MX", "sms", "sam.sms@example.com", "Su código de verificación es ")]
    [InlineData("de", "call", "vera.voice@example.com", "Ihr Bestätigungscode lautet ")]
    [InlineData("fr", "sms", "sam.sms@example.com", "Votre code de vérification est ")]
    [InlineData("ja", "sms", "sam.sms@example.com", "Your verification code is ")]
    public async Task TextsAndCallsReachThePhoneInThePagesLanguage(string acceptLanguage, string choice, string login, string opening)
    {
        using var browser = App.NewBrowser();
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        await browser.ChooseAsync(login, choice);

        await browser.SendCodeAsync();

        Assert.StartsWith(opening, App.Okta.GetLatestMessage(login)?.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidationMessagesSpeakTheChosenLanguage()
    {
        using var browser = App.NewBrowser();
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");
        await browser.GetAsync("/");

        await browser.PostAsync("/", ("Input.Username", string.Empty));

        Assert.Equal(["Saisissez votre nom d'utilisateur ou votre adresse e-mail."], browser.Errors);
        Assert.Equal("Il y a un problème", browser.Page.QuerySelector(".error-summary__title")?.TextContent);
    }

    [Fact]
    public async Task CodeStepSaysInSpanishHowLongIsLeftAndHowManyTries()
    {
        const string Login = "tom.totp@example.com";
        using var browser = App.NewBrowser();
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
        await browser.ChooseAsync(Login, "okta-code");

        await browser.EnterCodeAsync("000000");

        Assert.Equal(["Ese código no es válido. Compruébelo e inténtelo de nuevo: le quedan 2 intentos."], browser.Errors);
        Assert.Equal("Paso 2 de 3: confirme su identidad", string.Join(' ', browser.Page.QuerySelector(".step-indicator")!.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("Introduzca el código en 5 minutos como máximo; si no, tendrá que volver a empezar.", browser.Page.QuerySelector(".time-left .hint")?.TextContent.Trim());
    }
}
