using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using MfaReset.Testing.Browser;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace MfaReset.Web.Tests.Support;

/// <summary>
/// One browser session against the portal: keeps cookies, reads pages with the shared <see cref="HtmlPage"/>,
/// posts fields with the antiforgery token and flow id of the page it is on (as the page's forms do), and knows
/// the portal's routes and field names. Redirects are followed one by one, so a test can read each Location.
/// </summary>
public sealed partial class PortalBrowser(HttpClient client, CookieContainer cookies) : IDisposable
{
    public const string Password = "Fresh-Start-2026";
    public static readonly Uri BaseAddress = new("https://localhost");

    // The hidden field with the flow's public id that every form of a flow's page carries.
    private const string FlowField = "__Flow";

    // The request that produced Response, for following its redirect as a browser would.
    private FormSubmission? _sent;
    private HtmlPage? _page;

    /// <summary>A new browser on <paramref name="portal"/>: its own cookie jar, https so Secure cookies are kept, redirects not followed.</summary>
    public static PortalBrowser Open<TProgram>(WebApplicationFactory<TProgram> portal)
        where TProgram : class
    {
        ArgumentNullException.ThrowIfNull(portal);
        var cookies = new CookieContainer();
        var client = portal.CreateDefaultClient(BaseAddress, new CookieContainerHandler(cookies));
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) MfaResetTests/1.0");
        return new PortalBrowser(client, cookies);
    }

    public HttpClient Client { get; } = client;

    public CookieContainer Cookies { get; } = cookies;

    /// <summary>The value of one of this browser's cookies, or null.</summary>
    public string? Cookie(string name) => Cookies.GetCookies(BaseAddress)[name]?.Value;

    /// <summary>Copies this browser's cookies into <paramref name="other"/> (a stolen or shared session).</summary>
    public void CopyCookiesTo(PortalBrowser other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (Cookie cookie in Cookies.GetCookies(BaseAddress))
        {
            other.Cookies.Add(BaseAddress, new Cookie(cookie.Name, cookie.Value, cookie.Path) { Secure = cookie.Secure, HttpOnly = cookie.HttpOnly });
        }
    }

    public HttpResponseMessage Response { get; private set; } = default!;

    public string Html { get; private set; } = string.Empty;

    /// <summary>The last HTML page received (a JSON or empty answer leaves it in place, as it leaves a browser's page).</summary>
    public IHtmlDocument Page => _page?.Document ?? throw new InvalidOperationException("No page has been shown yet.");

    /// <summary>The page without what differs per request: antiforgery values, the script nonce, the flow id and a problem page's Reference (the request's trace id).</summary>
    public string HtmlWithoutRequestTokens => ReferenceCode().Replace(
        FlowIdValue().Replace(Nonce().Replace(AntiforgeryValue().Replace(Html, "value=\"…\""), "nonce=\"…\""), "name=\"__Flow\" value=\"…\""),
        "<code>…</code>");

    public string? Location => Response.Headers.Location?.OriginalString;

    public string AntiforgeryToken =>
        _page?.AntiforgeryToken ?? throw new InvalidOperationException("The current page has no form.");

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(FormSubmission.Open(new Uri(path, UriKind.Relative)));

    /// <summary>The public id of the flow the current page was shown for, as its forms carry it; null on pages without one.</summary>
    public string? FlowId => _page?.InputValue(FlowField);

    /// <summary>Posts <paramref name="fields"/> (and the current page's antiforgery token and flow id, as its forms do) to <paramref name="path"/>.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, params (string Name, string Value)[] fields)
    {
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
            .Append(new(HtmlPage.AntiforgeryField, AntiforgeryToken));
        if (FlowId is { } flowId && !fields.Any(f => f.Name == FlowField))
        {
            form = form.Append(new(FlowField, flowId));
        }

        return SendAsync(new FormSubmission(HttpMethod.Post, new Uri(path, UriKind.Relative), [.. form]));
    }

    /// <summary>Follows the redirect of the last response (the portal's are all 302: a GET of the Location).</summary>
    public Task<HttpResponseMessage> FollowAsync()
    {
        Assert.Equal(HttpStatusCode.Redirect, Response.StatusCode);
        return SendAsync(_sent!.RedirectedTo(Response.StatusCode, new Uri(Location!, UriKind.Relative)));
    }

    public async Task<HttpResponseMessage> PostAndFollowAsync(string path, params (string Name, string Value)[] fields)
    {
        await PostAsync(path, fields);
        return await FollowAsync();
    }

    /// <summary>Forgot password → factor choice.</summary>
    public async Task StartAsync(string username)
    {
        await GetAsync("/");
        await PostAsync("/", ("Input.Username", username));
        Assert.Equal("/reset/method", Location);
        await FollowAsync();
    }

    /// <summary>Unlock my account → factor choice.</summary>
    public async Task StartUnlockAsync(string username)
    {
        await GetAsync("/unlock");
        await PostAsync("/unlock", ("Input.Username", username));
        Assert.Equal("/reset/method", Location);
        await FollowAsync();
    }

    /// <summary>Starts and chooses a method by its menu key (push, okta-code, google-code, sms, call).</summary>
    public async Task ChooseAsync(string username, string choice)
    {
        await StartAsync(username);
        await PostAndFollowAsync("/reset/method", ("Input.Choice", choice));
    }

    public Task<HttpResponseMessage> SendCodeAsync() => PostAndFollowAsync("/reset/code/send");

    public Task<HttpResponseMessage> EnterCodeAsync(string code) => PostAsync("/reset/code", ("Input.Code", code));

    public Task<HttpResponseMessage> SendPushAsync() => PostAndFollowAsync("/reset/push/send");

    /// <summary>What the page script does: POST the status endpoint with the antiforgery header.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PollAsync(string? antiforgeryToken = null)
    {
        using var response = await PollAtAsync("/reset/push/status", antiforgeryToken);
        var json = response.Content.Headers.ContentType?.MediaType == "application/json";
        return (response.StatusCode, json ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : default);
    }

    /// <summary>The script's poll sent to <paramref name="pathAndQuery"/>, e.g. another spelling of it; the raw response.</summary>
    public async Task<HttpResponseMessage> PollAtAsync(string pathAndQuery, string? antiforgeryToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery);
        request.Headers.Add("RequestVerificationToken", antiforgeryToken ?? AntiforgeryToken);
        return await Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> ChangePasswordAsync(string password = Password, string? confirm = null) =>
        PostAsync("/reset/password", ("Input.NewPassword", password), ("Input.ConfirmPassword", confirm ?? password));

    /// <summary>The texts of the error summary's entries.</summary>
    public IReadOnlyList<string> Errors => [.. Page.QuerySelectorAll(".error-summary li").Select(li => li.TextContent.Trim())];

    public string Heading => Page.QuerySelector("h1")?.TextContent.Trim() ?? string.Empty;

    public void Dispose() => Client.Dispose();

    private async Task<HttpResponseMessage> SendAsync(FormSubmission submission)
    {
        using var request = submission.ToRequest();
        Response = await Client.SendAsync(request);
        _sent = submission;
        Html = await Response.Content.ReadAsStringAsync();
        if (Response.Content.Headers.ContentType?.MediaType == "text/html")
        {
            _page = new HtmlPage(Response.RequestMessage?.RequestUri ?? BaseAddress, (int)Response.StatusCode, Html);
        }

        return Response;
    }

    [GeneratedRegex("value=\"CfDJ8[^\"]*\"")]
    private static partial Regex AntiforgeryValue();

    [GeneratedRegex("nonce=\"[^\"]*\"")]
    private static partial Regex Nonce();

    [GeneratedRegex("name=\"__Flow\" value=\"[0-9a-f]*\"")]
    private static partial Regex FlowIdValue();

    [GeneratedRegex("<code>[0-9a-f]{32}</code>")]
    private static partial Regex ReferenceCode();
}
