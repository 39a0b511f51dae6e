using System.Text.Json;
using System.Text.RegularExpressions;
using MfaReset.Testing;

namespace MfaReset.Okta.Sandbox.Tests;

/// <summary>
/// One file of shared/okta-contract (read by <see cref="ContractFixture"/>) and the comparison of a sandbox answer with it: the same status, every
/// field the fixture has (with the same JSON kind), the same contract constants (factorResult, errorCode,
/// link hints, ...) and hrefs of the same form under the sandbox's org URL. Ids, dates and codes differ.
/// </summary>
public sealed partial class OktaFixture
{
    // Values that are part of the contract rather than sample data.
    private static readonly HashSet<string> ConstantKeys = ["factorResult", "factorType", "provider", "vendorName", "status", "errorCode", "errorLink", "allow", "type", "method"];

    private static readonly HashSet<string> NullableInSpec = ["profile.mobilePhone", "profile.secondEmail"];

    private OktaFixture(ContractFixture fixture)
    {
        Path = fixture.RelativePath;
        Status = fixture.Response.Status;
        Body = JsonSerializer.SerializeToElement(fixture.Response.Body);
    }

    public string Path { get; }

    public int Status { get; }

    public JsonElement Body { get; }

    public static OktaFixture Load(string relativePath) => new(ContractFixture.Load(relativePath));

    /// <summary>Asserts <paramref name="response"/> has this fixture's status and shape; returns the parsed body.</summary>
    public async Task<JsonElement> AssertMatchesAsync(HttpResponseMessage response, params string[] pathsNotEmulated)
    {
        Assert.True(Status == (int)response.StatusCode, $"{Path}: expected status {Status}, got {(int)response.StatusCode}.");
        var actual = await TestSandbox.JsonAsync(response);
        AssertShape(Body, actual, pathsNotEmulated);
        return actual;
    }

    /// <summary>Every path of <paramref name="expected"/> (but the listed ones) is in <paramref name="actual"/> with the same kind.</summary>
    public void AssertShape(JsonElement expected, JsonElement actual, params string[] pathsNotEmulated)
    {
        var want = Flatten(expected);
        var have = Flatten(actual);
        foreach (var (path, value) in want)
        {
            if (pathsNotEmulated.Any(p => path == p || path.StartsWith(p + ".", StringComparison.Ordinal) || path.StartsWith(p + "[", StringComparison.Ordinal)))
            {
                continue;
            }

            Assert.True(have.TryGetValue(path, out var got), $"{Path}: the sandbox answer lacks {path}.");
            // Null in the fixture: any kind. Null in the sandbox's answer where the fixture has a value: only where the spec
            // allows null, which is the mobilePhone and secondEmail the sandbox's users may lack (UserProfile, nullable: true).
            if (value.ValueKind != JsonValueKind.Null && !(got.ValueKind == JsonValueKind.Null && NullableInSpec.Contains(path)))
            {
                Assert.True(Kind(value) == Kind(got), $"{Path}: {path} is {got.ValueKind} in the sandbox answer, {value.ValueKind} in the fixture.");
            }

            var key = path.Split('.', '[')[^1].TrimEnd(']');
            if (path.EndsWith(".href", StringComparison.Ordinal))
            {
                Assert.Equal(HrefForm(value.GetString()!), HrefForm(got.GetString()!));
            }
            else if (ConstantKeys.Contains(key) && value.ValueKind is JsonValueKind.String or JsonValueKind.Array)
            {
                Assert.True(Compact(value) == Compact(got), $"{Path}: {path} is {Compact(got)} in the sandbox answer, {Compact(value)} in the fixture.");
            }
        }
    }

    /// <summary>The JSON without the fixture files' indentation, for comparing values.</summary>
    public static string Compact(JsonElement element) => JsonSerializer.Serialize(element);

    // "{orgUrl}/api/v1/users/00u.../factors/sms.../verify" and "http://127.0.0.1:1234/api/v1/users/00u.../factors/sms.../verify"
    // both become "/api/v1/users/{id}/factors/{id}/verify".
    private static string HrefForm(string href) =>
        IdSegment().Replace(OrgPart().Replace(href, ""), "$1/{id}");

    private static string Kind(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? "bool" : e.ValueKind.ToString();

    private static Dictionary<string, JsonElement> Flatten(JsonElement root)
    {
        var paths = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        void Walk(JsonElement element, string path)
        {
            paths[path] = element;
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}");
                }
            }
            else if (element.ValueKind == JsonValueKind.Array && !path.EndsWith("allow", StringComparison.Ordinal))
            {
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{i++}]");
                }
            }
        }

        Walk(root, "");
        return paths;
    }

    [GeneratedRegex(@"^(\{orgUrl\}|https?://[^/]+)")]
    private static partial Regex OrgPart();

    [GeneratedRegex(@"(users|factors|transactions)/[^/]+")]
    private static partial Regex IdSegment();
}
