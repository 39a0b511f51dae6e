using System.Text.Json;
using MfaReset.Testing.Hosting;
using Microsoft.AspNetCore.Hosting;

namespace MfaReset.LoadTest.Hosting;

/// <summary>
/// The real portal (<c>MfaReset.Web</c>'s own <c>Program</c>) on Kestrel at a loopback port of this
/// process, configured like a production deployment pointed at an Okta org: here, a sandbox.
/// </summary>
internal sealed class PortalFactory(IReadOnlyDictionary<string, string?> settings) : KestrelPortalFactory<Program>
{
    /// <summary>Starts the portal and returns its address.</summary>
    public Uri Start() => Address;

    protected override IReadOnlyDictionary<string, string?> Settings => settings;

    // Production: the pipeline a deployment runs (no developer exception page, no Development-only extras).
    protected override string? EnvironmentName => "Production";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // WebApplicationFactory looks for its manifest in the current directory, which is wherever the
        // driver was started from; the copy beside the driver names the portal's project folder.
        builder.UseContentRoot(PortalContentRoot());
    }

    private static string PortalContentRoot()
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
        using var json = JsonDocument.Parse(File.ReadAllText(manifest));
        var portal = typeof(Program).Assembly.FullName!;
        return json.RootElement.TryGetProperty(portal, out var root) && root.GetString() is { } path
            ? path
            : throw new InvalidOperationException($"{manifest} does not name the content root of {portal}.");
    }
}
