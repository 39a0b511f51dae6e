using MfaReset.Testing;

namespace MfaReset.Web.Tests.OutOfProcessOkta;

/// <summary>
/// <c>tests/okta-wiremock/mappings</c> holds the generated mappings for a standalone WireMock
/// (<c>tests/MfaReset.OktaWireMock</c>). They are never edited by hand: this test fails when they differ from
/// what the fixtures generate now; <c>MFARESET_WRITE_WIREMOCK_MAPPINGS=1</c> rewrites them.
/// </summary>
public sealed class ExportedMappingsTests
{
    private static readonly string Folder = Path.Combine(SharedPaths.RepositoryRoot, "tests", "okta-wiremock", "mappings");

    [Fact]
    public void CommittedMappingsAreWhatTheFixturesGenerate()
    {
        var generated = OktaContractMappings.Generate().ToDictionary(m => m.FileName, m => m.Json.ToJsonString(OktaContractMappings.Indented) + "\n");
        if (Environment.GetEnvironmentVariable("MFARESET_WRITE_WIREMOCK_MAPPINGS") == "1")
        {
            Directory.CreateDirectory(Folder);
            foreach (var stale in Directory.EnumerateFiles(Folder, "*.json"))
            {
                File.Delete(stale);
            }

            foreach (var (name, json) in generated)
            {
                File.WriteAllText(Path.Combine(Folder, name), json);
            }
        }

        var committed = Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder, "*.json").ToDictionary(path => Path.GetFileName(path), File.ReadAllText)
            : [];

        Assert.Equal(generated.Keys.Order(StringComparer.Ordinal), committed.Keys.Order(StringComparer.Ordinal));
        Assert.All(generated, g => Assert.True(
            committed[g.Key] == g.Value,
            $"tests/okta-wiremock/mappings/{g.Key} is stale: run this test once with MFARESET_WRITE_WIREMOCK_MAPPINGS=1 and commit the files."));
    }
}
