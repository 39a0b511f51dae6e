using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Testing;

namespace MfaReset.Okta.Sandbox.Tests;

/// <summary>A sandbox started for one test, on a fake clock, with clients that speak to it like the portal does.</summary>
public sealed class TestSandbox : IAsyncDisposable
{
    public const string Token = "test-token-0123456789";
    public const string BrowserUserAgent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0";

    private TestSandbox(RunningSandbox running, TestClock clock)
    {
        Running = running;
        Clock = clock;
        Http = new HttpClient { BaseAddress = running.BaseUrl };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("SSWS", Token);
        Http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        Anonymous = new HttpClient { BaseAddress = running.BaseUrl };
        Browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = running.BaseUrl };
    }

    public RunningSandbox Running { get; }

    public TestClock Clock { get; }

    public ISandboxControl Control => Running.Control;

    /// <summary>Authenticated with the right token, no User-Agent unless a request sets one.</summary>
    public HttpClient Http { get; }

    /// <summary>No Authorization header.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>For the simulator page: no token, redirects not followed.</summary>
    public HttpClient Browser { get; }

    /// <summary>The org URL without the trailing slash, as hrefs start.</summary>
    public string OrgUrl => Running.BaseUrl.GetLeftPart(UriPartial.Authority);

    public static async Task<TestSandbox> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { ApiToken = Token };
        configure?.Invoke(options);
        var clock = new TestClock();
        return new TestSandbox(await OktaSandbox.StartAsync(options, clock), clock);
    }

    public string UserId(string login) => Control.GetUser(login).Id;

    public SandboxFactorInfo Factor(string login, SandboxFactorKind kind) =>
        Control.GetUser(login).Factors.First(f => f.Kind == kind);

    public string VerifyPath(string login, SandboxFactorKind kind) =>
        $"api/v1/users/{UserId(login)}/factors/{Factor(login, kind).Id}/verify";

    /// <summary><c>POST .../verify</c>; a null body sends no body at all, as a challenge does.</summary>
    public Task<HttpResponseMessage> VerifyAsync(string login, SandboxFactorKind kind, object? body = null, string? userAgent = BrowserUserAgent, string? clientIp = null, string? acceptLanguage = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, VerifyPath(login, kind));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        if (clientIp is not null)
        {
            request.Headers.Add("X-Forwarded-For", clientIp);
        }

        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        return Http.SendAsync(request);
    }

    /// <summary>Challenges an SMS or call factor and returns the code the phone received.</summary>
    public async Task<string> ChallengeAsync(string login, SandboxFactorKind kind)
    {
        using var response = await VerifyAsync(login, kind);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return Control.GetLatestMessage(login)!.Code;
    }

    public Task<HttpResponseMessage> SendPasscodeAsync(string login, SandboxFactorKind kind, string passCode) =>
        VerifyAsync(login, kind, new { passCode });

    /// <summary>Starts a push and returns its poll href.</summary>
    public async Task<string> SendPushAsync(string login, bool numberMatching = false)
    {
        using var response = await VerifyAsync(login, SandboxFactorKind.OktaVerifyPush, numberMatching ? new { useNumberMatchingChallenge = true } : null);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("_links").GetProperty("poll").GetProperty("href").GetString()!;
    }

    public async Task<string> PollAsync(string pollHref)
    {
        using var response = await Http.GetAsync(new Uri(pollHref));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("factorResult").GetString()!;
    }

    public Task<HttpResponseMessage> SetPasswordAsync(string login, string password, bool strict = true) =>
        Http.PostAsJsonAsync($"api/v1/users/{UserId(login)}{(strict ? "?strict=true" : "")}", new { credentials = new { password = new { value = password } } });

    public async Task<string> StatusAsync(string login)
    {
        using var response = await Http.GetAsync($"api/v1/users/{Uri.EscapeDataString(login)}");
        return (await JsonAsync(response)).GetProperty("status").GetString()!;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>Asserts an Okta error answer and returns its body.</summary>
    public static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, int status, string errorCode)
    {
        Assert.Equal(status, (int)response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal(errorCode, body.GetProperty("errorCode").GetString());
        Assert.Equal(errorCode, body.GetProperty("errorLink").GetString());
        Assert.StartsWith("oae", body.GetProperty("errorId").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("errorCauses").ValueKind);
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Anonymous.Dispose();
        Browser.Dispose();
        await Running.DisposeAsync();
    }
}
