using System.Text.RegularExpressions;
using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>
/// The person's language: switched with the links every page carries (with and without scripts), kept for
/// the rest of the reset, spoken by the text message; and every page in the pseudo-locale, which shows any
/// text that did not come from the resources in plain English.
/// </summary>
[Collection(RealBrowserStories.Name)]
public sealed partial class LanguageStories(StoryFixture fixture, ITestOutputHelper output)
{
    private static readonly IReadOnlyDictionary<string, string?> WithPseudoLocale = new Dictionary<string, string?> { ["Localization:PseudoLocale"] = "true" };

    [Theory, WithAndWithoutScripts]
    public Task SwitchingToSpanishMidwayKeepsThePageAndTheRestOfTheResetInSpanish(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var sam = DemoUser.Sam;
            var portal = await story.OpenAndChooseAsync(sam.Login, Methods.Sms);
            await portal.ShouldBeOnAsync(Headings.GetSmsCode);

            await story.Page.GetByRole(AriaRole.Navigation, new() { Name = "Language" }).GetByRole(AriaRole.Link, new() { Name = "Español" }).ClickAsync();

            await portal.ShouldBeOnAsync("Reciba un código por mensaje de texto");
            await Expect(story.Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
            await Expect(story.Page.GetByRole(AriaRole.Navigation, new() { Name = "Idioma" }).GetByRole(AriaRole.Link, new() { Name = "Español" })).ToHaveAttributeAsync("aria-current", "true");
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Send code", "in Spanish");
            await portal.Button("Enviar código").ClickAsync();
            await portal.ShouldBeOnAsync("Introduzca el código que le enviamos");
            var phone = await story.PhoneAsync();
            await Expect(phone.PhoneOf(sam.Name).GetByRole(AriaRole.Listitem).Filter(new() { HasText = "SMS" }).First).ToContainTextAsync("Su código de verificación es");
            var code = await phone.ReadTextMessageCodeAsync(sam.Name);

            await story.Page.GetByLabel("Código de verificación").FillAsync(CodeStories.WrongCode(code));
            await portal.Button("Verificar").ClickAsync();
            await Expect(story.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Ese código no es válido. Compruébelo e inténtelo de nuevo: le quedan 2 intentos.");
            await story.Page.GetByLabel("Código de verificación").FillAsync(code);
            await portal.Button("Verificar").ClickAsync();

            await portal.ShouldBeOnAsync("Elija una nueva contraseña");
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "New password", "in Spanish");
            await story.Page.GetByLabel("Nueva contraseña", new() { Exact = true }).FillAsync(DemoUser.GoodPassword);
            await story.Page.GetByLabel("Confirme la nueva contraseña").FillAsync(DemoUser.GoodPassword);
            await portal.Button("Cambiar contraseña").ClickAsync();
            await portal.ShouldBeOnAsync("Su contraseña se ha cambiado");

            await story.Page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
            await portal.ShouldBeOnAsync(Headings.Done);
            await Expect(story.Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        });

    [Fact]
    public Task PushPageSaysInGermanWhatThePhoneAnswered() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var pat = DemoUser.Pat;
            var portal = await story.OpenPortalAsync();
            await story.Page.GetByRole(AriaRole.Link, new() { Name = "Deutsch" }).ClickAsync();
            await portal.ShouldBeOnAsync("Passwort vergessen?");
            await story.Page.GetByLabel("Benutzername oder E-Mail-Adresse").FillAsync(pat.Login);
            await portal.Button("Weiter").ClickAsync();
            await portal.Method("Push-Benachrichtigung von Okta Verify").CheckAsync();
            await portal.Button("Weiter").ClickAsync();
            await portal.Button("Push-Benachrichtigung senden").ClickAsync();
            await portal.ShouldBeOnAsync("Prüfen Sie Ihr Telefon");
            var line = story.Page.GetByText(NumberToTap());
            var number = int.Parse(NumberToTap().Match(await line.TextContentAsync() ?? "").Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture);

            var phone = await story.PhoneAsync();
            await phone.TapNumberAsync(pat.Name, number);

            await portal.ShouldBeOnAsync("Wählen Sie ein neues Passwort");
            Assert.Contains("Genehmigt. Weiter zum nächsten Schritt …", await story.AnnouncementsAsync());
            await story.Page.GetByLabel("Neues Passwort", new() { Exact = true }).PressSequentiallyAsync("abc");
            await Expect(story.Page.Locator("#password-policy li").First).ToHaveTextAsync("Noch nicht erfüllt: mindestens 8 Zeichen lang sein");
            await story.Page.GetByRole(AriaRole.Button, new() { Name = "Passwort anzeigen" }).ClickAsync();
            await Expect(story.Page.GetByRole(AriaRole.Button, new() { Name = "Passwort verbergen" })).ToBeVisibleAsync();
        });

    [Fact]
    public Task EveryPageInThePseudoLocaleShowsOnlyTextsFromTheResources() =>
        fixture.PlayAsync(
            output,
            Scripting.Enabled,
            async story =>
            {
                var page = story.Page;
                var unlocalized = new List<string>();
                async Task CheckAsync(string name)
                {
                    await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", new Regex("^qps-ploc$", RegexOptions.IgnoreCase));
                    var texts = await page.EvaluateAsync<string[]>(VisibleTexts);
                    Assert.True(texts.Length > 5, $"{name}: only {texts.Length} texts found");
                    foreach (var text in texts)
                    {
                        if (AsciiLetter().IsMatch(text.Replace(OrganizationName, string.Empty, StringComparison.Ordinal)))
                        {
                            unlocalized.Add($"{name}: \"{text}\"");
                        }
                    }
                }

                var sam = DemoUser.Sam;
                await page.GotoAsync(new Uri(story.Portal, "/language/qps-ploc?returnUrl=%2F").ToString());
                await CheckAsync("forgot password");
                await page.Locator("main button[type=submit]").ClickAsync();
                await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
                await CheckAsync("forgot password, nothing typed");
                await page.Locator("#Input_Username").FillAsync(sam.Login);
                await page.Locator("main button[type=submit]").ClickAsync();
                await Expect(page).ToHaveURLAsync(new Regex("/reset/method$"));
                await CheckAsync("method choice");
                await page.Locator("input[value=sms]").CheckAsync();
                await page.Locator("main button[type=submit]").ClickAsync();
                await Expect(page).ToHaveURLAsync(new Regex("/reset/code$"));
                await CheckAsync("send code");
                await page.Locator("form[action$='/send'] button").ClickAsync();
                await Expect(page.Locator("#Input_Code")).ToBeVisibleAsync();
                await CheckAsync("enter code, countdown running");
                var code = await (await story.PhoneAsync()).ReadTextMessageCodeAsync(sam.Name);
                await page.Locator("#Input_Code").FillAsync(CodeStories.WrongCode(code));
                await page.Locator("#Input_Code").PressAsync("Enter");
                await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
                await CheckAsync("enter code, wrong code");
                await page.Locator("#Input_Code").FillAsync(code);
                await page.Locator("#Input_Code").PressAsync("Enter");
                await Expect(page).ToHaveURLAsync(new Regex("/reset/password$"));
                await page.Locator("#Input_NewPassword").PressSequentiallyAsync("abc");
                await page.Locator("[data-show-password] button").ClickAsync();
                await CheckAsync("new password, rules marked while typing, password shown");
                await page.Locator("#Input_ConfirmPassword").FillAsync("abd");
                await page.Locator("main button[type=submit]").ClickAsync();
                await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
                await CheckAsync("new password, passwords differ");
                await page.Locator("#Input_NewPassword").FillAsync(DemoUser.GoodPassword);
                await page.Locator("#Input_ConfirmPassword").FillAsync(DemoUser.GoodPassword);
                await page.Locator("main button[type=submit]").ClickAsync();
                await Expect(page).ToHaveURLAsync(new Regex("/reset/done$"));
                await CheckAsync("done");

                var pat = DemoUser.Pat;
                await page.GotoAsync(story.Portal.ToString());
                await page.Locator("#Input_Username").FillAsync(pat.Login);
                await page.Locator("main button[type=submit]").ClickAsync();
                await page.Locator("input[value=push]").CheckAsync();
                await page.Locator("main button[type=submit]").ClickAsync();
                await Expect(page).ToHaveURLAsync(new Regex("/reset/push$"));
                await CheckAsync("push, send step");
                await page.Locator("form[action$='/send'] button").ClickAsync();
                await Expect(page.Locator("[data-push-number]")).ToBeVisibleAsync();
                await CheckAsync("push, waiting for the phone");
                var phone = await story.PhoneAsync();
                await phone.ShouldShowPushAsync(pat.Name);
                await phone.TapNumberAsync(pat.Name, int.Parse(await page.Locator("[data-push-number]").TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture));
                await Expect(page).ToHaveURLAsync(new Regex("/reset/password$"));

                foreach (var (path, name) in new[] { ("/help", "help"), ("/unlock", "unlock my account"), ("/reset/problem/expired", "problem page"), ("/reset/problem/busy", "busy page"), ("/no/such/page", "page not found") })
                {
                    await page.GotoAsync(new Uri(story.Portal, path).ToString());
                    await CheckAsync(name);
                }

                Assert.True(unlocalized.Count == 0, "Texts not from the resources:\n" + string.Join('\n', unlocalized));
            },
            WithPseudoLocale);

    private const string OrganizationName = "Example Corp";

    // Every text node a person can see or hear (visually hidden ones included, [hidden] ones not), the title and
    // the ARIA labels; not scripts, the Reference code, or the language links, which name each language in itself.
    private const string VisibleTexts = """
        () => {
          const texts = [document.title];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const parent = node.parentElement;
            if (!node.data.trim() || parent.closest("script, style, code, [hidden], body [lang]")) {
              continue;
            }
            texts.push(node.data.trim());
          }
          document.querySelectorAll("[aria-label]").forEach(element => texts.push(element.getAttribute("aria-label")));
          return texts;
        }
        """;

    [GeneratedRegex(@"Zahl zum Antippen:\s*(?<number>\d+)")]
    private static partial Regex NumberToTap();

    [GeneratedRegex("[A-Za-z]")]
    private static partial Regex AsciiLetter();
}
