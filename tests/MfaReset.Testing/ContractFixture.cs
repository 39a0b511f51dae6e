using System.Text.Json.Nodes;

namespace MfaReset.Testing;

/// <summary>
/// One file of <c>shared/okta-contract</c>, read as its README describes: the one reader of the contract
/// fixtures for every test project (the client's replays and stub, the sandbox's shape checks).
/// </summary>
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

    public static ContractFixture Load(string relativePath) => new(relativePath, ReadJson(relativePath).AsObject());

    /// <summary>Any JSON file of the contract folder (fixtures and <c>reference/</c>), by its path relative to the folder.</summary>
    public static JsonNode ReadJson(string relativePath) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(SharedPaths.OktaContract, relativePath)))
        ?? throw new InvalidDataException($"{relativePath} holds JSON null.");

    /// <summary>Every fixture file of <paramref name="folder"/>, as relative paths with '/' separators, in a stable order.</summary>
    public static IReadOnlyList<string> Files(string folder) =>
        Directory.EnumerateFiles(Path.Combine(SharedPaths.OktaContract, folder), "*.json")
            .Select(path => $"{folder}/{Path.GetFileName(path)}")
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The folders of the contract, in a stable order.</summary>
    public static IReadOnlyList<string> Folders() =>
        Directory.EnumerateDirectories(SharedPaths.OktaContract).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    public override string ToString() => RelativePath;
}

/// <summary>The documented request of a fixture; <see cref="Path"/> as the fixture writes it.</summary>
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

/// <summary>The documented response of a fixture; the body may contain <c>{orgUrl}</c>.</summary>
public sealed record FixtureResponse(int Status, IReadOnlyDictionary<string, string> Headers, JsonNode? Body)
{
    /// <summary>The body with <c>{orgUrl}</c> replaced, for comparing against what the client parsed.</summary>
    public JsonNode? BodyAt(string baseUrl) =>
        Body is null ? null : JsonNode.Parse(Body.ToJsonString().Replace("{orgUrl}", baseUrl, StringComparison.Ordinal));

    public static FixtureResponse From(JsonObject response) => new(
        response["status"]!.GetValue<int>(),
        response["headers"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
        response["body"]?.DeepClone());
}
