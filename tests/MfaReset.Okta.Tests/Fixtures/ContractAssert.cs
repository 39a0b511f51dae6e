using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MfaReset.Okta.Tests.Stub;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests.Fixtures;

/// <summary>The request the client must send, as the stub should record it.</summary>
/// <param name="EndUserAgent">For a push: the end user's User-Agent, forwarded as is. Otherwise the product's own.</param>
/// <param name="ForwardedFor">For a push: the end user's IP. Otherwise the header must be absent.</param>
public sealed record ExpectedRequest(
    string Method,
    string RawPath,
    IReadOnlyDictionary<string, string> Query,
    JsonNode? Body,
    string? EndUserAgent = null,
    string? ForwardedFor = null)
{
    public static IReadOnlyDictionary<string, string> NoQuery { get; } = new Dictionary<string, string>();
}

/// <summary>Assertions that compare what the client did with what a fixture documents.</summary>
public static class ContractAssert
{
    /// <summary>Request headers the fixtures use; a fixture with another one needs a decision first.</summary>
    private static readonly HashSet<string> UnderstoodHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accept", "Authorization", "Content-Type", "User-Agent", "X-Forwarded-For", "Accept-Language",
    };

    /// <summary>Checks the fixture's request asks nothing of the client that these tests do not cover.</summary>
    public static void UnderstoodBy(FixtureRequest request)
    {
        Assert.Subset(UnderstoodHeaders, request.Headers.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase));
        Assert.Equal("application/json", request.Headers["Accept"]);
        Assert.Equal("SSWS {apiToken}", request.Headers["Authorization"]);
    }

    public static void RequestMatches(ExpectedRequest expected, RecordedRequest actual)
    {
        Assert.Equal(expected.Method, actual.Method);
        Assert.Equal(expected.RawPath, actual.RawPath);
        Assert.Equal(expected.Query.OrderBy(q => q.Key), actual.Query.OrderBy(q => q.Key));
        Assert.Equal("application/json", actual.Header("Accept"));
        Assert.Equal($"SSWS {ClientHost.ApiToken}", actual.Header("Authorization"));
        if (expected.EndUserAgent is { } endUserAgent)
        {
            Assert.Equal(endUserAgent, actual.Header("User-Agent"));
        }
        else
        {
            Assert.StartsWith("MfaReset/", actual.Header("User-Agent"), StringComparison.Ordinal);
        }

        Assert.Equal(expected.ForwardedFor, actual.Header("X-Forwarded-For"));
        if (expected.Body is null)
        {
            Assert.Equal("", actual.Body);
            Assert.Null(actual.Header("Content-Type"));
        }
        else
        {
            Assert.Equal("application/json", MediaTypeHeaderValue.Parse(actual.Header("Content-Type")!).MediaType);
            Assert.True(JsonNode.DeepEquals(expected.Body, JsonNode.Parse(actual.Body)), $"Body sent: {actual.Body}");
        }
    }

    /// <summary>
    /// The client's <see cref="OktaError"/> carries the fixture's status, body fields and rate-limit
    /// headers. <paramref name="hiddenPassword"/>: text the client must have replaced by <c>***</c>.
    /// </summary>
    public static void ErrorMatches(FixtureResponse response, OktaError? actual, string? hiddenPassword = null)
    {
        Assert.NotNull(actual);
        var body = response.Body!.AsObject();
        string? Text(JsonNode? node) => node?.GetValue<string>() is { } text && hiddenPassword is not null
            ? text.Replace(hiddenPassword, "***", StringComparison.Ordinal)
            : node?.GetValue<string>();

        Assert.Equal(response.Status, actual.HttpStatus);
        Assert.Equal(Text(body["errorCode"]), actual.ErrorCode);
        Assert.Equal(Text(body["errorSummary"]), actual.ErrorSummary);
        Assert.Equal(Text(body["errorId"]), actual.ErrorId);
        var causes = body["errorCauses"]!.AsArray();
        Assert.Equal(causes.Count, actual.ErrorCauses.Count);
        foreach (var (cause, parsed) in causes.Zip(actual.ErrorCauses))
        {
            Assert.Equal(Text(cause!["errorSummary"]), parsed.ErrorSummary);
            Assert.Equal(Text(cause["reason"]), parsed.Reason);
            Assert.Equal(Text(cause["locationType"]), parsed.LocationType);
            Assert.Equal(Text(cause["location"]), parsed.Location);
            Assert.Equal(Text(cause["domain"]), parsed.Domain);
        }

        Assert.Equal(ExpectedRateLimit(response.Headers), actual.RateLimit);
    }

    public static RateLimitInfo? ExpectedRateLimit(IReadOnlyDictionary<string, string> headers)
    {
        int? Int(string name) => headers.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        var reset = headers.TryGetValue("X-Rate-Limit-Reset", out var r)
            ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(r, CultureInfo.InvariantCulture))
            : (DateTimeOffset?)null;
        var limit = Int("X-Rate-Limit-Limit");
        var remaining = Int("X-Rate-Limit-Remaining");
        return limit is null && remaining is null && reset is null ? null : new RateLimitInfo(limit, remaining, reset);
    }

    /// <summary>The <c>Error</c> of any result variant that has one.</summary>
    public static OktaError? ErrorOf(object result) => result.GetType().GetProperty("Error")?.GetValue(result) as OktaError;

    /// <summary>The variant's name, e.g. <c>NotFound</c>, <c>InvalidPasscode</c>, <c>Rejected</c>.</summary>
    public static string VariantOf(object result) => result.GetType().Name.Split('`')[0];

    /// <summary>Okta's SCREAMING_SNAKE enum values name the client's members in PascalCase.</summary>
    public static TEnum DocumentedEnum<TEnum>(string oktaValue)
        where TEnum : struct, Enum =>
        Enum.Parse<TEnum>(string.Concat(oktaValue.Split('_').Select(w => w[..1] + w[1..].ToLowerInvariant())));

    public static string? Field(JsonNode? node, string path)
    {
        foreach (var name in path.Split('.'))
        {
            node = node?[name];
        }

        return node?.GetValue<string>();
    }
}
