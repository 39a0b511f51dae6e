using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MfaReset.Testing;

namespace MfaReset.Okta.Benchmarks;

/// <summary>
/// The network replaced by fixed answers: each request path maps to one documented response from
/// ../shared/okta-contract, so bodies have the size and shape Okta sends. No sockets.
/// </summary>
internal sealed class FixtureAnswers : HttpMessageHandler
{
    private readonly Dictionary<string, Answer> _byPath = new(StringComparer.Ordinal);

    public FixtureAnswers(Uri orgUrl)
    {
        var origin = orgUrl.GetLeftPart(UriPartial.Authority);
        Add(Benchmarks.UserPath, "getUser/by-login.200.json", origin);
        Add(Benchmarks.FactorsPath, "listFactors/list.200.json", origin);
        Add(Benchmarks.VerifyPath, "verifyFactor/sms-verify.200.json", origin);
        Add(Benchmarks.MissingUserPath, "errors/E0000007-user-not-found.404.json", origin);
        Add(Benchmarks.ThrottledUserPath, "errors/E0000047-rate-limit.429.json", origin);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var answer = _byPath[request.RequestUri!.AbsolutePath];
        var response = new HttpResponseMessage(answer.Status)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(answer.Body),
        };
        response.Content.Headers.ContentType = new("application/json");
        if (answer.Status == HttpStatusCode.TooManyRequests)
        {
            // A reset far beyond the call's budget: the answer is returned, not retried after a wait.
            response.Headers.Add("X-Rate-Limit-Limit", "600");
            response.Headers.Add("X-Rate-Limit-Remaining", "0");
            response.Headers.Add("X-Rate-Limit-Reset", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return Task.FromResult(response);
    }

    private void Add(string path, string fixture, string origin)
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(SharedPaths.OktaContract, fixture)))!;
        var response = document["response"]!;
        var body = response["body"]?.ToJsonString().Replace("{orgUrl}", origin, StringComparison.Ordinal) ?? "";
        _byPath[path] = new Answer((HttpStatusCode)response["status"]!.GetValue<int>(), Encoding.UTF8.GetBytes(body));
    }

    private sealed record Answer(HttpStatusCode Status, byte[] Body);
}
