using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MfaReset.Testing;
using MfaReset.Web.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace MfaReset.Web.Tests.OutOfProcessOkta;

/// <summary>
/// Real network faults between the portal and Okta, served by WireMock on a socket, each ending on the page
/// the in-process outage tests expect for the same case.
/// </summary>
public sealed class NetworkFaultTests
{
    private const string LoginPath = "/api/v1/users/isaac.brock@example.com";
    private const string EmailVerifyPath = "/api/v1/users/00ub0oNGTSWTBKOLGLNR/factors/emfnf3gSScB8xXoXK0g3/verify";
    private const string Unavailable = "/reset/problem/unavailable";

    // A test's fault outranks the fixtures (priority 10 and up).
    private const int FaultPriority = 1;

    public static TheoryData<string> UsernameStepFaults => ["hang", "empty-response", "malformed-chunk", "503"];

    [Theory]
    [MemberData(nameof(UsernameStepFaults))]
    public async Task OktaFailingAtTheUsernameStepShowsTheOutagePage(string fault)
    {
        await using var okta = new WireMockOkta();
        okta.WireMock.Given(Request.Create().WithPath(LoginPath).UsingGet()).AtPriority(FaultPriority).RespondWith(fault switch
        {
            // Past Okta:AttemptTimeout: the client gives up, the portal does not wait for WireMock.
            "hang" => Response.Create().WithStatusCode(200).WithDelay(WireMockOkta.AttemptTimeout * 3),
            "empty-response" => Response.Create().WithFault(FaultType.EMPTY_RESPONSE),
            "malformed-chunk" => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{\"id\":\"00ub0oNGTSWTBKOLGLNR\"}").WithFault(FaultType.MALFORMED_RESPONSE_CHUNK),
            _ => Response.Create().WithStatusCode(503),
        });
        using var browser = okta.NewBrowser();
        await browser.GetAsync("/");

        await browser.PostAsync("/", ("Input.Username", OktaContractMappings.Login));

        Assert.Equal(Unavailable, browser.Location);
        await browser.FollowAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, browser.Response.StatusCode);
        Assert.Equal("The service is temporarily unavailable", browser.Heading);
        // WireMock logs a delayed request when its late answer is written, after the portal hung up.
        await Eventually.TrueAsync(() => okta.Calls.Count > 0, "WireMock logged the lookup");
        Assert.Equal([$"GET {LoginPath}"], okta.Calls); // MaxRetries=0: one attempt, and nothing after it
    }

    [Fact]
    public async Task LatencyBelowTheAttemptTimeoutStillResets()
    {
        await using var okta = new WireMockOkta();
        okta.WireMock.AddGlobalProcessingDelay(WireMockOkta.AttemptTimeout / 4);
        using var browser = okta.NewBrowser();

        await browser.ChooseAsync(OktaContractMappings.Login, "email");
        await browser.SendCodeAsync();
        await browser.EnterCodeAsync("123456");
        await browser.FollowAsync();
        await browser.ChangePasswordAsync();

        Assert.Equal("/reset/done", browser.Location);
    }

    [Fact]
    public async Task OktasRateLimitAtTheUsernameStepShowsTheBusyPageUntilItsWindowResets()
    {
        await using var okta = new WireMockOkta();
        var fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(SharedPaths.OktaContract, "errors", "E0000047-rate-limit.429.json")))!["response"]!;
        // The docs' X-Rate-Limit-Reset is a 2016 instant; the window here resets 30 s from now.
        var resetAt = DateTimeOffset.UtcNow.AddSeconds(30).ToUnixTimeSeconds();
        var response = Response.Create().WithStatusCode(429).WithBody(fixture["body"]!.ToJsonString())
            .WithHeader("Content-Type", "application/json")
            .WithHeader("X-Rate-Limit-Limit", fixture["headers"]!["X-Rate-Limit-Limit"]!.GetValue<string>())
            .WithHeader("X-Rate-Limit-Remaining", "0")
            .WithHeader("X-Rate-Limit-Reset", resetAt.ToString(CultureInfo.InvariantCulture));
        okta.WireMock.Given(Request.Create().WithPath(LoginPath).UsingGet()).AtPriority(FaultPriority).RespondWith(response);
        using var browser = okta.NewBrowser();
        await browser.GetAsync("/");

        await browser.PostAsync("/", ("Input.Username", OktaContractMappings.Login));

        Assert.Equal("/reset/problem/busy", browser.Location);
        await browser.FollowAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, browser.Response.StatusCode);
        Assert.Equal("The service is busy", browser.Heading);
        // Until the window resets (plus the portal's second for rounding), however long the test took to get here.
        var retryAfter = browser.Response.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(31));
        Assert.DoesNotContain("E0000", browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OktaHangingOnTheCodeCheckKeepsTheFlowAndTheRightCodeStillWorks()
    {
        await using var okta = new WireMockOkta();
        using var browser = okta.NewBrowser();
        await browser.ChooseAsync(OktaContractMappings.Login, "email");
        await browser.SendCodeAsync();
        okta.WireMock.Given(Request.Create().WithPath(EmailVerifyPath).UsingPost()).AtPriority(FaultPriority).WithTitle("hang")
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(WireMockOkta.AttemptTimeout * 3));

        await browser.EnterCodeAsync("123456");
        Assert.Equal($"{Unavailable}?back=%2FReset%2FVerifyCode", browser.Location);
        await browser.FollowAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, browser.Response.StatusCode);
        okta.WireMock.DeleteMapping(okta.WireMock.Mappings.Single(m => m.Title == "hang").Guid);
        await browser.GetAsync("/reset/code");
        await browser.EnterCodeAsync("123456");

        // A POST is never retried, and a verify Okta never answered does not end the flow.
        Assert.Equal("/reset/password", browser.Location);
        await Eventually.TrueAsync(() => okta.Calls.Count(c => c == $"POST {EmailVerifyPath}") >= 2, "WireMock logged the hung verify");
        Assert.Equal(2, okta.Calls.Count(c => c == $"POST {EmailVerifyPath}"));
    }

    [Fact]
    public async Task OktasThrottleOnTheSendSpendsNoSendAndOffersAnotherMethod()
    {
        await using var okta = new WireMockOkta();
        var fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(SharedPaths.OktaContract, "errors", "E0000118-email-recently-sent.429.json")))!["response"]!;
        okta.WireMock.Given(Request.Create().WithPath(EmailVerifyPath).UsingPost()).AtPriority(FaultPriority)
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Content-Type", "application/json").WithBody(fixture["body"]!.ToJsonString()));
        using var browser = okta.NewBrowser();
        await browser.ChooseAsync(OktaContractMappings.Login, "email");

        await browser.PostAsync("/reset/code/send");

        Assert.Equal("/reset/code?notice=phone-busy", browser.Location);
        await browser.FollowAsync();
        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.NotNull(browser.Page.QuerySelector("a[href='/reset/method']"));
        // Nothing was sent, so there is no code to enter: the page offers the send step again (the send was given back).
        Assert.Null(browser.Page.QuerySelector("input[name='Input.Code']"));
        Assert.Single(okta.Calls, c => c.StartsWith($"POST {EmailVerifyPath}", StringComparison.Ordinal));
    }
}
