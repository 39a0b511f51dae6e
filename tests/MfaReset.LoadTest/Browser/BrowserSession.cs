using System.Net;
using MfaReset.LoadTest.Measurement;
using MfaReset.Testing.Browser;
using Microsoft.AspNetCore.WebUtilities;

namespace MfaReset.LoadTest.Browser;

/// <summary>
/// One person's browser: its own cookies, following redirects the way a browser does (303 and 302 turn
/// into GET, 307 and 308 repeat the request), sending the request headers a browser derives from the
/// page (<c>Origin</c>, <c>Referer</c> and <c>Sec-Fetch-*</c> as Chromium does under the page's referrer
/// policy), and recording the latency and status of every response it receives. Sessions share one
/// <see cref="HttpClient"/>, as tabs share a browser's connections.
/// </summary>
/// <param name="nullOriginOnForms">
/// Send <c>Origin: null</c> with a form POST from a page served with <c>Referrer-Policy: no-referrer</c>, as
/// Chromium does (the Fetch standard's rule); when false, the page's own origin, as for a script's fetch.
/// </param>
/// <param name="route">
/// Where requests to the portal's address go when several instances stand behind it (a load balancer);
/// null: to the address itself.
/// </param>
internal sealed class BrowserSession(
    HttpClient http, LatencyRecorder recorder, TimeProvider time, bool nullOriginOnForms = false, PortalRoute? route = null)
{
    // A desktop browser's agent: the portal forwards it to Okta with every push.
    public const string UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) MfaReset.LoadTest/1.0";
    private const int MaxRedirects = 10;
    private const string DefaultReferrerPolicy = "strict-origin-when-cross-origin";

    private CookieJar _cookies = new();

    // Every person reaches the portal from an address of their own, through the reverse proxy a deployment has.
    private string _clientAddress = ClientAddresses.Next();

    // The document the browser shows: where it came from and the referrer policy it was served with.
    private Uri? _document;
    private string _referrerPolicy = DefaultReferrerPolicy;

    /// <summary>
    /// Another tab of this browser showing the same page, whose requests take <paramref name="tabRoute"/>:
    /// the same cookies (one jar) and client address, e.g. to poll one flow through two instances.
    /// </summary>
    public BrowserSession Tab(PortalRoute? tabRoute) => Sibling(tabRoute, _cookies);

    /// <summary>
    /// Another browser on the same machine given a copy of this one's cookies, showing the same page, whose
    /// requests take <paramref name="copyRoute"/>: from now on each keeps the cookies it is sent.
    /// </summary>
    public BrowserSession CopyWithCookies(PortalRoute? copyRoute) => Sibling(copyRoute, _cookies.Copy());

    /// <summary>
    /// This browser on new connections (<paramref name="client"/>'s), its responses recorded by <paramref name="newRecorder"/>:
    /// the same cookies, address and page, as after the network came back.
    /// </summary>
    public BrowserSession Reconnected(HttpClient client, LatencyRecorder newRecorder) => new(client, newRecorder, time, nullOriginOnForms, route)
    {
        _cookies = _cookies,
        _clientAddress = _clientAddress,
        _document = _document,
        _referrerPolicy = _referrerPolicy,
    };

    private BrowserSession Sibling(PortalRoute? siblingRoute, CookieJar cookies) => new(http, recorder, time, nullOriginOnForms, siblingRoute)
    {
        _cookies = cookies,
        _clientAddress = _clientAddress,
        _document = _document,
        _referrerPolicy = _referrerPolicy,
    };

    /// <summary>Opens <paramref name="url"/> as if typed in the address bar.</summary>
    public Task<HtmlPage> OpenAsync(Uri url, CancellationToken ct) =>
        SubmitAsync(FormSubmission.Open(url), ct);

    /// <summary>A page script's <c>fetch</c> of JSON from the page's origin: the browser's cookies, no redirects followed.</summary>
    public async Task<(int Status, string Body)> FetchAsync(
        HttpMethod method, Uri url, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.ParseAdd("application/json");
        AddFetchMetadata(request, _document, mode: "cors", destination: "empty");
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        var response = await SendAsync(request, ct).ConfigureAwait(false);
        return (response.Status, response.Body);
    }

    /// <summary>Submits a form (or opens an address) and follows redirects to the page that results.</summary>
    public async Task<HtmlPage> SubmitAsync(FormSubmission submission, CancellationToken ct)
    {
        var initiator = _document;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = submission.ToRequest();
            // The address the browser shows, before a route sends the request to one instance behind it.
            var url = request.RequestUri!;
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
            AddFetchMetadata(request, initiator, mode: "navigate", destination: "document");

            var response = await SendAsync(request, ct).ConfigureAwait(false);
            if (response.Location is not { } location)
            {
                _document = url;
                _referrerPolicy = response.ReferrerPolicy ?? DefaultReferrerPolicy;
                return new HtmlPage(url, response.Status, response.Body);
            }

            submission = submission.RedirectedTo((HttpStatusCode)response.Status, location);
        }

        throw new InvalidOperationException($"More than {MaxRedirects} redirects from {submission.Target.AbsolutePath}.");
    }

    private async Task<Response> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var url = request.RequestUri!;
        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Headers.Add("X-Forwarded-For", _clientAddress);
        if (_cookies.HeaderFor(url) is { Length: > 0 } cookie)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (route?.Pick(url) is { } instance && instance != url)
        {
            // Behind a load balancer: the connection goes to the instance, the Host stays the one the browser addressed.
            request.RequestUri = instance;
            request.Headers.Host = url.Authority;
        }

        var started = time.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        recorder.Record(PageKey(request.Method, url), time.GetElapsedTime(started), status);

        _cookies.Store(url, response);
        var location = status is >= 300 and < 400 && response.Headers.Location is { } target ? new Uri(url, target) : null;
        // The last policy listed is the one that applies.
        var policy = response.Headers.TryGetValues("Referrer-Policy", out var policies) ? policies.Last().Split(',')[^1].Trim() : null;
        return new Response(status, body, location, policy);
    }

    // What Chromium adds (checked against Chromium 156): Sec-Fetch-* always; Origin on every POST, "null" for
    // a form navigation under "no-referrer" (a fetch sends its real origin); Referer unless the policy forbids it.
    // The portal currently refuses Origin: null with 403, so that part is opt-in (--chromium-origin).
    private void AddFetchMetadata(HttpRequestMessage request, Uri? initiator, string mode, string destination)
    {
        var headers = request.Headers;
        headers.Add("Sec-Fetch-Site", initiator is null ? "none" : SameOrigin(initiator, request.RequestUri!) ? "same-origin" : "cross-site");
        headers.Add("Sec-Fetch-Mode", mode);
        headers.Add("Sec-Fetch-Dest", destination);
        if (initiator is null)
        {
            return;
        }

        var noReferrer = _referrerPolicy == "no-referrer";
        if (request.Method == HttpMethod.Post)
        {
            headers.Add("Origin", nullOriginOnForms && noReferrer && mode == "navigate" ? "null" : initiator.GetLeftPart(UriPartial.Authority));
        }

        if (!noReferrer)
        {
            headers.Referrer = initiator;
        }
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Host.Equals(b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>"POST /Reset/WaitForPush?handler=Status": the page and its Razor handler, never ids.</summary>
    internal static string PageKey(HttpMethod method, Uri url)
    {
        var handler = QueryHelpers.ParseQuery(url.Query).TryGetValue("handler", out var value) ? $"?handler={value}" : string.Empty;
        return $"{method.Method} {url.AbsolutePath}{handler}";
    }

    private sealed record Response(int Status, string Body, Uri? Location, string? ReferrerPolicy);
}
