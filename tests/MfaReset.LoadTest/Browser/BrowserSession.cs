using System.Net;
using MfaReset.LoadTest.Measurement;
using Microsoft.AspNetCore.WebUtilities;

namespace MfaReset.LoadTest.Browser;

/// <summary>
/// One person's browser: its own cookies, following redirects the way a browser does (303 and 302 turn
/// into GET, 307 and 308 repeat the request), and recording the latency and status of every response
/// it receives. Sessions share one <see cref="HttpClient"/>, as tabs share a browser's connections.
/// </summary>
internal sealed class BrowserSession(HttpClient http, LatencyRecorder recorder, TimeProvider time)
{
    // A desktop browser's agent: the portal forwards it to Okta with every push.
    public const string UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) MfaReset.LoadTest/1.0";
    private const int MaxRedirects = 10;

    private readonly CookieJar _cookies = new();

    /// <summary>Opens <paramref name="url"/> as if typed in the address bar.</summary>
    public Task<HtmlPage> OpenAsync(Uri url, CancellationToken ct) =>
        NavigateAsync(HttpMethod.Get, url, fields: null, ct);

    /// <summary>Submits a form and follows redirects to the page that results.</summary>
    public Task<HtmlPage> SubmitAsync(FormSubmission submission, CancellationToken ct) =>
        submission.Method == HttpMethod.Get
            ? NavigateAsync(HttpMethod.Get, new Uri(QueryHelpers.AddQueryString(submission.Target.ToString(), submission.Fields.Select(f => KeyValuePair.Create(f.Key, (string?)f.Value)))), fields: null, ct)
            : NavigateAsync(submission.Method, submission.Target, submission.Fields, ct);

    /// <summary>A page script's <c>fetch</c> of JSON from the page's origin: the browser's cookies, no redirects followed.</summary>
    public async Task<(int Status, string Body)> FetchAsync(
        HttpMethod method, Uri url, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.ParseAdd("application/json");
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        var (status, body, _) = await SendAsync(request, ct).ConfigureAwait(false);
        return (status, body);
    }

    private async Task<HtmlPage> NavigateAsync(
        HttpMethod method, Uri url, IReadOnlyList<KeyValuePair<string, string>>? fields, CancellationToken ct)
    {
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
            if (fields is not null)
            {
                request.Content = new FormUrlEncodedContent(fields);
            }

            var (status, body, location) = await SendAsync(request, ct).ConfigureAwait(false);
            if (location is null)
            {
                return new HtmlPage(url, status, body);
            }

            if (status is (int)HttpStatusCode.Found or (int)HttpStatusCode.SeeOther or (int)HttpStatusCode.MovedPermanently)
            {
                method = HttpMethod.Get;
                fields = null;
            }

            url = location;
        }

        throw new InvalidOperationException($"More than {MaxRedirects} redirects from {url.AbsolutePath}.");
    }

    private async Task<(int Status, string Body, Uri? Location)> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var url = request.RequestUri!;
        request.Headers.UserAgent.ParseAdd(UserAgent);
        if (_cookies.HeaderFor(url) is { Length: > 0 } cookie)
        {
            request.Headers.Add("Cookie", cookie);
        }

        var started = time.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        recorder.Record(PageKey(request.Method, url), time.GetElapsedTime(started), status);

        _cookies.Store(url, response);
        var location = status is >= 300 and < 400 && response.Headers.Location is { } target ? new Uri(url, target) : null;
        return (status, body, location);
    }

    /// <summary>"POST /Reset/WaitForPush?handler=Status": the page and its Razor handler, never ids.</summary>
    internal static string PageKey(HttpMethod method, Uri url)
    {
        var handler = QueryHelpers.ParseQuery(url.Query).TryGetValue("handler", out var value) ? $"?handler={value}" : string.Empty;
        return $"{method.Method} {url.AbsolutePath}{handler}";
    }
}
