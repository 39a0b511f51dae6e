using System.Net;
using MfaReset.Testing;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// Requests an attacker sends on purpose: bytes no form should hold, methods no page serves, values
/// meant to forge log lines. Each ends on a 4xx page saying what to do, with one security event and no
/// Okta call; the one 500 the tests can provoke carries a Reference the logs hold too.
/// </summary>
public sealed class HostileRequestTests(HostileRequestTests.ThrowingApp app) : PortalTests<HostileRequestTests.ThrowingApp>(app)
{
    private const string Login = "tom.totp@example.com";

    /// <summary>The portal plus one path that throws, to see what an unexpected exception looks like from outside.</summary>
    public sealed class ThrowingApp : PortalApp
    {
        public const string ThrowingPath = "/test-only/throws";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ThrowingPathFilter>());
        }

        private sealed class ThrowingPathFilter : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                next(app);
                app.Use((context, nextMiddleware) => context.Request.Path == ThrowingPath
                    ? throw new InvalidOperationException("a bug the test provokes")
                    : nextMiddleware(context));
            };
        }
    }

    [Theory]
    [InlineData("username")]
    [InlineData("choice")]
    [InlineData("code")]
    public async Task ANulCharacterInAnyFieldEndsOnA400PageThatSaysTheFormCouldNotBeRead(string field)
    {
        using var browser = App.NewBrowser();
        var (path, name, value) = field switch
        {
            "username" => ("/", "Input.Username", "tom.totp\0@example.com"),
            "choice" => ("/reset/method", "Input.Choice", "okta\0-code"),
            _ => ("/reset/code", "Input.Code", "123\0456"),
        };
        if (field == "username")
        {
            await browser.GetAsync("/");
        }
        else
        {
            await browser.ChooseAsync(Login, "okta-code");
            await browser.GetAsync(path == "/reset/method" ? "/reset/method" : "/reset/code");
        }

        var callsBefore = App.RequestOktaCalls;
        await browser.PostAsync(path, (name, value));

        Assert.Equal(HttpStatusCode.BadRequest, browser.Response.StatusCode);
        Assert.Equal("This form couldn't be read", browser.Heading);
        Assert.Contains("Go back, type it again", browser.Html, StringComparison.Ordinal);
        Assert.Equal(callsBefore, App.RequestOktaCalls);
        Assert.Single(App.Logs.OfEvent(1206), r => r.Value("Path") == path);
    }

    [Fact]
    public async Task AUsernameWithLineBreaksAndMarkupIsRefusedWithOneEventDescribingIt()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");

        await browser.PostAsync("/", ("Input.Username", "eve@example.com\r\n[1000] Username submitted <script>x</script>" + new string('a', 100)));

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Contains("Enter your username or email without special characters.", browser.Errors);
        Assert.Equal(0, App.RequestOktaCalls);
        var refused = Assert.Single(App.Logs.OfEvent(1205)).Value("Fields");
        Assert.StartsWith("Input.Username=161 chars: 4 digit, 143 letter, 3 space, 9 punctuation, 2 control; ref ", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", App.Logs.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain("eve@", App.Logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATamperedMethodChoiceIsRefusedWithOneEventAndNoOktaCall()
    {
        using var browser = App.NewBrowser();
        await browser.StartAsync(Login);
        var callsBefore = App.RequestOktaCalls;

        await browser.PostAsync("/reset/method", ("Input.Choice", "00u-not-a-choice"));

        Assert.Contains("Choose one of the methods listed.", browser.Errors);
        Assert.Equal(callsBefore, App.RequestOktaCalls);
        Assert.Contains(App.Logs.OfEvent(1012), r => r.Value("Choice") == "00u-not-a-choice");
    }

    [Fact]
    public async Task AMalformedCodeIsRefusedWithOneEventAndSpendsNoAttempt()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "okta-code");

        await browser.EnterCodeAsync("12ab56\u001b[2J");

        Assert.Contains("Enter the 6-digit code, numbers only.", browser.Errors);
        Assert.Equal(0, App.CallsFor(Login, "verifyFactor"));
        Assert.StartsWith("10 chars: 5 digit, 3 letter, 1 punctuation, 1 control; ref ", Assert.Single(App.Logs.OfEvent(1013)).Value("Code"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TRACE", "/")]
    [InlineData("TRACE", "/reset/method")]
    [InlineData("OPTIONS", "/reset/code")]
    public async Task AMethodNoPageServesIsAnswered405WithTheMethodsItServes(string method, string path)
    {
        using var browser = App.NewBrowser();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await browser.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.Contains("This page can&#x27;t be used that way", html, StringComparison.Ordinal);
        Assert.Contains(App.Logs.OfEvent(1207), r => r.Value("Method") == method && r.Value("Path") == path);
    }

    [Fact]
    public async Task APostToAPageWithoutAFormIsAnswered405()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        var token = browser.AntiforgeryToken;

        using var form = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
        using var response = await browser.Client.PostAsync(new Uri("/reset/done", UriKind.Relative), form, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task TheReferenceOnThe500PageIsOnTheErrorEventAndTheRequestLine()
    {
        using var browser = App.NewBrowser();

        await browser.GetAsync(ThrowingApp.ThrowingPath);
        var reference = browser.Page.QuerySelector("code")!.TextContent.Trim();

        Assert.Equal(HttpStatusCode.InternalServerError, browser.Response.StatusCode);
        Assert.Equal("Something went wrong", browser.Heading);
        Assert.False(string.IsNullOrWhiteSpace(reference));
        Assert.Contains(App.Logs.OfEvent(1203), r => r.Value("Reference") == reference && r.Exception?.Message == "a bug the test provokes");
        var requestEvent = Assert.Single(App.Logs.GetSnapshot(), r =>
            r.Value("{OriginalFormat}")?.StartsWith("HTTP {RequestMethod} {RequestPath}", StringComparison.Ordinal) == true
            && r.Value("RequestPath") == ThrowingApp.ThrowingPath);
        Assert.Equal((reference, "500"), (requestEvent.Value("Reference"), requestEvent.Value("StatusCode")));
    }
}
