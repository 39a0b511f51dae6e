extern alias Portal;

using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MfaReset.Browser.Tests.Infrastructure;

/// <summary>
/// The portal as people meet it: real Kestrel on a loopback port a browser can reach, with the Okta
/// sandbox embedded (no <c>Okta:OrgUrl</c>), configured by the given settings on top of its
/// own appsettings.
/// </summary>
public sealed class PortalApp : WebApplicationFactory<Portal::Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private Uri? _address;

    public PortalApp(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;

        // Port 0: the OS picks a free port, so parallel runs never collide. Kestrel is told to listen
        // itself rather than through UseKestrel(port), whose rewrite of the server addresses after the
        // build races Kestrel's own bind in a minimal-hosting app (dotnet/aspnetcore#67714) and now and
        // then failed a story with "Addresses cannot be modified after the server has started".
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The portal's root, e.g. <c>http://127.0.0.1:41234/</c>. Starts the server on first use.</summary>
    public Uri Address => _address ??= Start();

    /// <summary>The embedded sandbox's phone simulator page.</summary>
    public Uri PhoneSimulator
    {
        get
        {
            _ = Address;
            return Services.GetRequiredService<Portal::MfaReset.Web.Hosting.SandboxInfo>().PhoneSimulatorUrl
                ?? throw new InvalidOperationException("The portal runs without the embedded sandbox (Okta:OrgUrl is set).");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Settings given this way reach Program's top-level code before the host is built, which
        // matters for values read while composing services (such as whether to embed the sandbox).
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    private Uri Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var address = addresses.Select(a => new Uri(a)).FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttp)
            ?? throw new InvalidOperationException($"The portal listens on no http address ({string.Join(", ", addresses)}).");

        // Kestrel reports the host it bound ("localhost" or "[::]"); the browser goes to the loopback address.
        return new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
    }
}
