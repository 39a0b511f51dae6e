using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MfaReset.LoadTest.Hosting;

/// <summary>
/// The real portal (<c>MfaReset.Web</c>'s own <c>Program</c>) on Kestrel at a loopback port of this
/// process, configured like a production deployment pointed at an Okta org: here, a sandbox.
/// </summary>
internal sealed class PortalFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    /// <summary>Starts the portal and returns its address.</summary>
    public Uri Start()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.TrimEnd('/') + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // WebApplicationFactory looks for its manifest in the current directory, which is wherever the
        // driver was started from; the copy beside the driver names the portal's project folder.
        builder.UseContentRoot(PortalContentRoot());
        // Production: the pipeline a deployment runs (no developer exception page, no Development-only extras).
        builder.UseEnvironment("Production");
    }

    // Host configuration, not app configuration: the portal reads its settings (Serilog, Okta:OrgUrl)
    // before it builds, and only host configuration reaches a minimal-hosting app that early.
    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        return base.CreateHost(builder);
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
