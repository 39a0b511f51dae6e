using MfaReset.Testing;

namespace MfaReset.Okta.Tests.Stub;

/// <summary>
/// The method and path a fixture documents, as the stub matches them: literal segments must be equal,
/// the segment after a collection name is an id and matches any value (the fixtures' sample ids are not
/// the ones the tests ask for), and the query is not part of the route.
/// </summary>
public sealed record StubRoute(string Method, string Path)
{
    private static readonly HashSet<string> Collections = new(StringComparer.Ordinal)
    {
        "users", "factors", "transactions", "policies", "rules", "groups", "roles",
    };

    /// <summary>The fixture's documented route; null for error files that document no request.</summary>
    public static StubRoute? Of(ContractFixture fixture) =>
        fixture.Request is { } request ? new StubRoute(request.Method, request.Path) : null;

    public bool Matches(string method, string rawPath)
    {
        if (!string.Equals(method, Method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var expected = Path.Split('/');
        var actual = rawPath.Split('?')[0].Split('/');
        return expected.Length == actual.Length
            && expected.Select((segment, i) => (i > 0 && Collections.Contains(expected[i - 1])) || segment == actual[i]).All(matched => matched);
    }

    public override string ToString() => $"{Method} {Path}";
}
