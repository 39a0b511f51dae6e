using System.Text.Json.Nodes;
using MfaReset.Okta.Tests.Stub;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests.Fixtures;

/// <summary>One file of <c>shared/okta-contract</c>, read as its README describes.</summary>
public sealed class ContractFixture
{
    private ContractFixture(string relativePath, JsonObject root)
    {
        RelativePath = relativePath;
        OperationId = root["operationId"]?.GetValue<string>();
        ErrorCode = root["errorCode"]?.GetValue<string>();
        AppliesTo = root["appliesTo"]?.AsArray().Select(a => a!.GetValue<string>()).ToArray() ?? [];
        Request = root["request"] is JsonObject request ? FixtureRequest.From(request) : null;
        Response = FixtureResponse.From(root["response"]!.AsObject());
    }

    /// <summary>Relative to the contract folder with '/' separators, e.g. <c>verifyFactor/sms-challenge.200.json</c>.</summary>
    public string RelativePath { get; }

    public string Folder => RelativePath.Split('/')[0];

    public string? OperationId { get; }

    public string? ErrorCode { get; }

    public IReadOnlyList<string> AppliesTo { get; }

    /// <summary>Null for error files whose source gives no request.</summary>
    public FixtureRequest? Request { get; }

    public FixtureResponse Response { get; }

    public static ContractFixture Load(string relativePath) =>
        new(relativePath, JsonNode.Parse(File.ReadAllText(Path.Combine(SharedPaths.OktaContract, relativePath)))!.AsObject());

    public override string ToString() => RelativePath;
}

public sealed record FixtureRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    JsonNode? Body)
{
    /// <summary>The last path segment, percent-decoded: the id or login the request names.</summary>
    public string Segment(int fromEnd) => Uri.UnescapeDataString(Path.Split('/')[^fromEnd]);

    public static FixtureRequest From(JsonObject request) => new(
        request["method"]!.GetValue<string>(),
        request["path"]!.GetValue<string>(),
        Strings(request["query"]),
        Strings(request["headers"]),
        request["body"]?.DeepClone());

    private static Dictionary<string, string> Strings(JsonNode? node) =>
        node?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase)
        ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}

public sealed record FixtureResponse(int Status, IReadOnlyDictionary<string, string> Headers, JsonNode? Body)
{
    /// <summary>The body with <c>{orgUrl}</c> replaced, for comparing against what the client parsed.</summary>
    public JsonNode? BodyAt(string baseUrl) =>
        Body is null ? null : JsonNode.Parse(Body.ToJsonString().Replace("{orgUrl}", baseUrl, StringComparison.Ordinal));

    /// <summary>What the stub serves; the stub replaces <c>{orgUrl}</c>.</summary>
    public StubResponse ToStub() => new(Status, Headers, Body?.ToJsonString());

    public static FixtureResponse From(JsonObject response) => new(
        response["status"]!.GetValue<int>(),
        response["headers"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
        response["body"]?.DeepClone());
}
