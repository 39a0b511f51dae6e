using MfaReset.LoadTest.Browser;
using MfaReset.LoadTest.Measurement;
using MfaReset.Testing.Browser;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MfaReset.LoadTest.Tests.Browser;

public sealed class BrowserSessionTests
{
    private const string FormPage = """
        <html><body>
          <form method="post" action="/submit?handler=Send">
            <input type="hidden" name="__RequestVerificationToken" value="token-123">
            <input type="text" name="Input.Code" value="">
            <input type="checkbox" name="Input.Remember" value="true">
            <button type="submit">Verify</button>
            <button type="submit" name="Input.Action" value="resend" formaction="/submit?handler=Resend">Send again</button>
          </form>
        </body></html>
        """;

    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });

    [Fact]
    public async Task KeepsSecureHostPrefixedCookiesOverLoopbackLikeABrowser()
    {
        await using var site = await LoopbackSite.StartAsync(routes =>
        {
            routes.MapGet("/set", (HttpContext context) =>
            {
                context.Response.Headers.SetCookie = "__Host-flow=abc; path=/; secure; httponly; samesite=strict";
                return "set";
            });
            routes.MapGet("/echo", (HttpContext context) => context.Request.Headers.Cookie.ToString());
        });
        var session = NewSession(new LatencyRecorder());

        await session.OpenAsync(site.Url("/set"), TestContext.Current.CancellationToken);
        var echo = await session.OpenAsync(site.Url("/echo"), TestContext.Current.CancellationToken);

        Assert.Equal("__Host-flow=abc", echo.Html);
    }

    [Fact]
    public async Task SeeOtherAfterPostIsFollowedWithGetAndEveryHopIsRecorded()
    {
        var recorder = new LatencyRecorder();
        await using var site = await LoopbackSite.StartAsync(routes =>
        {
            routes.MapPost("/start", () => Results.Redirect("/next", permanent: false, preserveMethod: false));
            routes.MapGet("/next", (HttpContext context) => context.Request.Method);
        });
        var session = NewSession(recorder);

        var page = await session.SubmitAsync(new FormSubmission(HttpMethod.Post, site.Url("/start"), []), TestContext.Current.CancellationToken);

        Assert.Equal("/next", page.Url.AbsolutePath);
        Assert.Equal("GET", page.Html);
        Assert.Equal(["GET /next", "POST /start"], recorder.Summarize().Select(p => p.Page));
    }

    [Fact]
    public async Task TemporaryRedirectRepeatsThePostWithItsFields()
    {
        await using var site = await LoopbackSite.StartAsync(routes =>
        {
            routes.MapPost("/old", () => Results.Redirect("/new", permanent: false, preserveMethod: true));
            routes.MapPost("/new", async (HttpContext context) =>
            {
                // A block with a return: an expression lambda would bind to RequestDelegate and drop the value.
                var form = await context.Request.ReadFormAsync();
                return form["name"].ToString();
            });
        });
        var session = NewSession(new LatencyRecorder());

        var page = await session.SubmitAsync(
            new FormSubmission(HttpMethod.Post, site.Url("/old"), [new("name", "value")]), TestContext.Current.CancellationToken);

        Assert.Equal((200, "/new", "value"), (page.Status, page.Url.AbsolutePath, page.Html));
    }

    [Fact]
    public async Task FormSendsHiddenTokenTypedValueAndTheButtonPressed()
    {
        await using var site = await LoopbackSite.StartAsync(routes =>
        {
            routes.MapGet("/form", () => Results.Content(FormPage, "text/html"));
            routes.MapPost("/submit", async (HttpContext context) =>
            {
                var form = await context.Request.ReadFormAsync();
                var fields = form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}");
                return $"{context.Request.Query["handler"]}:{string.Join('&', fields)}";
            });
        });
        var session = NewSession(new LatencyRecorder());
        var page = await session.OpenAsync(site.Url("/form"), TestContext.Current.CancellationToken);

        var verified = await session.SubmitAsync(page.Form().Set("Input.Code", "123456").Submit(), TestContext.Current.CancellationToken);
        var resent = await session.SubmitAsync(page.Form().Submit("Send again"), TestContext.Current.CancellationToken);

        Assert.Equal("Send:Input.Code=123456&__RequestVerificationToken=token-123", verified.Html);
        Assert.Equal("Resend:Input.Action=resend&Input.Code=&__RequestVerificationToken=token-123", resent.Html);
    }

    [Fact]
    public async Task ServerErrorsAreRecordedWithTheirPage()
    {
        var recorder = new LatencyRecorder();
        await using var site = await LoopbackSite.StartAsync(routes => routes.MapGet("/boom", () => Results.StatusCode(503)));
        var session = NewSession(recorder);

        var page = await session.OpenAsync(site.Url("/boom?id=secret"), TestContext.Current.CancellationToken);

        Assert.Equal(503, page.Status);
        Assert.Equal(["GET /boom 503"], recorder.ServerErrors);
    }

    [Theory]
    [InlineData(true, "null")]
    [InlineData(false, "page origin")]
    public async Task FormPostUnderNoReferrerSendsTheOriginChromiumSends(bool nullOriginOnForms, string expected)
    {
        await using var site = await LoopbackSite.StartAsync(routes =>
        {
            routes.MapGet("/form", (HttpContext context) =>
            {
                context.Response.Headers["Referrer-Policy"] = "no-referrer";
                return Results.Content("<form method=post action=/submit><button>Go</button></form>", "text/html");
            });
            routes.MapPost("/submit", (HttpContext context) =>
                $"{context.Request.Headers.Origin}|{context.Request.Headers["Sec-Fetch-Site"]}|{context.Request.Headers.Referer}");
        });
        var session = new BrowserSession(Http, new LatencyRecorder(), TimeProvider.System, nullOriginOnForms);
        var page = await session.OpenAsync(site.Url("/form"), TestContext.Current.CancellationToken);

        var (_, fetched) = await session.FetchAsync(HttpMethod.Post, site.Url("/submit"), [], TestContext.Current.CancellationToken);
        var posted = await session.SubmitAsync(page.Form().Submit(), TestContext.Current.CancellationToken);

        var origin = site.BaseUrl.GetLeftPart(UriPartial.Authority);
        Assert.Equal($"{(expected == "null" ? "null" : origin)}|same-origin|", posted.Html);
        Assert.Equal($"{origin}|same-origin|", fetched);
    }

    [Fact]
    public async Task EachBrowserComesFromItsOwnAddressInTheBenchmarkRange()
    {
        await using var site = await LoopbackSite.StartAsync(routes =>
            routes.MapGet("/ip", (HttpContext context) => context.Request.Headers["X-Forwarded-For"].ToString()));

        var first = await NewSession(new LatencyRecorder()).OpenAsync(site.Url("/ip"), TestContext.Current.CancellationToken);
        var second = await NewSession(new LatencyRecorder()).OpenAsync(site.Url("/ip"), TestContext.Current.CancellationToken);

        Assert.NotEqual(first.Html, second.Html);
        Assert.All([first.Html, second.Html], ip => Assert.Matches(@"^198\.(18|19)\.\d{1,3}\.\d{1,3}$", ip));
    }

    [Fact]
    public async Task CookiesSetByOnePortOfAHostAreSentToItsOtherPortsAsBrowsersDo()
    {
        // RFC 6265: cookies are not isolated by port, so two instances on 127.0.0.1 see one browser's cookies.
        await using var setter = await LoopbackSite.StartAsync(routes => routes.MapGet("/set", (HttpContext context) =>
        {
            context.Response.Headers.SetCookie = "__Host-flow=abc; path=/; secure; httponly; samesite=strict";
            return "set";
        }));
        await using var reader = await LoopbackSite.StartAsync(routes =>
            routes.MapGet("/echo", (HttpContext context) => context.Request.Headers.Cookie.ToString()));
        var session = NewSession(new LatencyRecorder());

        await session.OpenAsync(setter.Url("/set"), TestContext.Current.CancellationToken);
        var echo = await session.OpenAsync(reader.Url("/echo"), TestContext.Current.CancellationToken);

        Assert.Equal("__Host-flow=abc", echo.Html);
    }

    [Fact]
    public async Task ARoutedBrowserReachesThePickedInstanceWithTheFrontsHostOriginAndCookies()
    {
        await using var front = await LoopbackSite.StartAsync(routes =>
        {
            routes.MapGet("/form", (HttpContext context) =>
            {
                context.Response.Headers.SetCookie = "__Host-flow=abc; path=/; secure; httponly; samesite=strict";
                return Results.Content("<form method=post action=/submit><button>Go</button></form>", "text/html");
            });
            routes.MapPost("/submit", () => "front");
        });
        await using var instance = await LoopbackSite.StartAsync(routes => routes.MapPost("/submit", (HttpContext context) =>
            $"{context.Request.Host}|{context.Request.Headers.Origin}|{context.Request.Headers.Cookie}|{context.Request.Headers["Sec-Fetch-Site"]}"));
        var session = NewSession(new LatencyRecorder());
        var page = await session.OpenAsync(front.Url("/form"), TestContext.Current.CancellationToken);

        var posted = await session.CopyWithCookies(PortalRoute.To(front.BaseUrl, instance.BaseUrl)).SubmitAsync(page.Form().Submit(), TestContext.Current.CancellationToken);

        var frontAuthority = front.BaseUrl.Authority;
        Assert.Equal($"{frontAuthority}|http://{frontAuthority}|__Host-flow=abc|same-origin", posted.Html);
        Assert.Equal(front.Url("/submit"), posted.Url);
    }

    [Fact]
    public void ARouteWithoutAffinitySendsEachRequestToTheNextInstanceAndLeavesOtherAddressesAlone()
    {
        var front = new Uri("http://127.0.0.1:5000/");
        var route = PortalRoute.RoundRobin(front, [new Uri("http://127.0.0.1:5001/"), new Uri("http://127.0.0.1:5002/")]);

        var picked = Enumerable.Range(0, 4).Select(_ => route.Pick(new Uri(front, "/reset/code?handler=Send")).Port).ToList();

        Assert.Equal([5001, 5002, 5001, 5002], picked);
        Assert.Equal("/reset/code?handler=Send", route.Pick(new Uri(front, "/reset/code?handler=Send")).PathAndQuery);
        Assert.Equal(new Uri("http://127.0.0.1:9000/x"), route.Pick(new Uri("http://127.0.0.1:9000/x")));
    }

    [Fact]
    public async Task ACopiedBrowserKeepsItsOwnCookiesAfterTheCopy()
    {
        await using var site = await LoopbackSite.StartAsync(routes =>
        {
            routes.MapGet("/set/{value}", (HttpContext context, string value) =>
            {
                context.Response.Headers.SetCookie = $"__Host-flow={value}; path=/; secure; httponly; samesite=strict";
                return value;
            });
            routes.MapGet("/echo", (HttpContext context) => context.Request.Headers.Cookie.ToString());
        });
        var original = NewSession(new LatencyRecorder());
        await original.OpenAsync(site.Url("/set/first"), TestContext.Current.CancellationToken);

        var copy = original.CopyWithCookies(null);
        await copy.OpenAsync(site.Url("/set/second"), TestContext.Current.CancellationToken);

        Assert.Equal("__Host-flow=first", (await original.OpenAsync(site.Url("/echo"), TestContext.Current.CancellationToken)).Html);
        Assert.Equal("__Host-flow=second", (await copy.OpenAsync(site.Url("/echo"), TestContext.Current.CancellationToken)).Html);
    }

    [Fact]
    public void PageKeyKeepsTheRazorHandlerButNoOtherQueryValue()
    {
        var key = BrowserSession.PageKey(HttpMethod.Get, new Uri("http://127.0.0.1:5000/Reset/WaitForPush?flow=abc&handler=Status"));

        Assert.Equal("GET /Reset/WaitForPush?handler=Status", key);
    }

    [Fact]
    public void FormWithoutTheNamedFieldRefusesToInventIt()
    {
        var page = new HtmlPage(new Uri("http://127.0.0.1/form"), 200, FormPage);

        Assert.Throws<InvalidOperationException>(() => page.Form().Set("Input.Password", "x"));
    }

    private static BrowserSession NewSession(LatencyRecorder recorder) => new(Http, recorder, TimeProvider.System);
}
