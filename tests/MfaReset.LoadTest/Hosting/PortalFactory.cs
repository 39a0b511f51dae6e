using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

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
        // Production: the pipeline a deployment runs (no developer exception page, no Development-only extras).
        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
