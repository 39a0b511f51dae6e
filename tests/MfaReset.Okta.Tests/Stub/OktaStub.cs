using System.Globalization;
using System.Text;
using MfaReset.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace MfaReset.Okta.Tests.Stub;

/// <summary>
/// A loopback Okta stand-in: Kestrel on 127.0.0.1 with a random port, answering every request with
/// the response a test set (a fixture's, with <c>{orgUrl}</c> replaced by the stub's own base URL) and
/// recording each request exactly as it arrived (raw path, query, headers, body). Given the fixture's
/// <see cref="StubRoute"/>, it answers only that method and path, and Okta's 404 to anything else, so a
/// client calling the wrong path fails the replay instead of reading the fixture.
/// </summary>
public sealed class OktaStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Dictionary<string, Queue<StubResponse>> _routes = new(StringComparer.Ordinal);
    private int _totalRequests;
    private StubResponse _response = new(500, new Dictionary<string, string>(), """{"errorCode":"STUB","errorSummary":"No response was set for this test."}""");
    private StubRoute? _only;

    private OktaStub(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    /// <summary>The stub's base URL, without a trailing slash: what <c>{orgUrl}</c> stands for.</summary>
    public string BaseUrl { get; private set; } = "";

    public Uri OrgUrl => new(BaseUrl);

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>
    /// Starts the stub. Its <c>Date</c> header follows <paramref name="clock"/>, as Okta's follows its
    /// own clock, so rate-limit waits computed by the client line up with the test's time.
    /// </summary>
    public static async Task<OktaStub> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new OktaStub(app, clock);
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        stub.BaseUrl = app.Urls.Single().TrimEnd('/');
        return stub;
    }

    /// <summary>
    /// Answers every following request with <paramref name="response"/>, or only those <paramref name="only"/>
    /// matches (Okta's 404 to the others), and forgets earlier requests.
    /// </summary>
    public void Serve(StubResponse response, StubRoute? only = null)
    {
        lock (_gate)
        {
            _response = response;
            _only = only;
            _requests.Clear();
            _routes.Clear();
        }
    }

    /// <summary>
    /// Answers requests to <paramref name="path"/> with <paramref name="sequence"/> in order, the last one for
    /// every request after it; other paths keep the <see cref="Serve"/> answer. Call after <see cref="Serve"/>.
    /// </summary>
    public void ServeAt(string path, params StubResponse[] sequence)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sequence.Length);
        lock (_gate)
        {
            _routes[path] = new Queue<StubResponse>(sequence);
        }
    }

    /// <summary>The requests to <paramref name="path"/> since the last <see cref="Serve"/>.</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string path) => [.. Requests.Where(r => r.RawPath == path)];

    /// <summary>Every request since the start, across <see cref="Serve"/> calls.</summary>
    public int TotalRequests => Volatile.Read(ref _totalRequests);

    public RecordedRequest SingleRequest() => Assert.Single(Requests);

    private async Task HandleAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var recorded = new RecordedRequest(
            context.Request.Method,
            rawTarget.Split('?')[0],
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);

        StubResponse response;
        lock (_gate)
        {
            _requests.Add(recorded);
            _totalRequests++;
            if (_routes.TryGetValue(recorded.RawPath, out var queue))
            {
                response = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
            }
            else if (_only is null || _only.Matches(recorded.Method, recorded.RawPath))
            {
                response = _response;
            }
            else
            {
                response = NotFound(recorded.RawPath);
            }
        }

        context.Response.StatusCode = response.Status;
        context.Response.Headers.Date = _clock.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value.Replace("{orgUrl}", BaseUrl, StringComparison.Ordinal);
        }

        if (response.Body is { } text)
        {
            await context.Response.WriteAsync(text.Replace("{orgUrl}", BaseUrl, StringComparison.Ordinal), context.RequestAborted);
        }
    }

    /// <summary>Okta's documented 404 (the fixture pack's E0000007 template), naming what was asked for.</summary>
    private static StubResponse NotFound(string rawPath)
    {
        var template = ContractFixture.Load("errors/E0000007-not-found.404.json").Response;
        var body = template.Body!.DeepClone();
        body["errorSummary"] = body["errorSummary"]!.GetValue<string>().Replace("{0}", $"Resource not found: {rawPath}", StringComparison.Ordinal);
        return (template with { Body = body }).ToStub();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What the stub answers. Header values and body may contain <c>{orgUrl}</c>.</summary>
public sealed record StubResponse(int Status, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    public static StubResponse Json(int status, string body, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, new Dictionary<string, string>(headers ?? new Dictionary<string, string>()) { ["Content-Type"] = "application/json" }, body);
}

/// <summary>A contract fixture's response as the stub serves it.</summary>
public static class FixtureResponseStubs
{
    /// <summary>What the stub serves; the stub replaces <c>{orgUrl}</c>.</summary>
    public static StubResponse ToStub(this FixtureResponse response) => new(response.Status, response.Headers, response.Body?.ToJsonString());
}

/// <summary>A request as the stub received it; <see cref="RawPath"/> keeps the client's percent-encoding.</summary>
public sealed record RecordedRequest(
    string Method,
    string RawPath,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
