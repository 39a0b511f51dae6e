using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MfaReset.Testing.Hosting;

/// <summary>The portal on real Kestrel at a loopback port that a browser or another process can reach.</summary>
public abstract class KestrelPortalFactory<TProgram> : PortalFactory<TProgram>
    where TProgram : class
{
    private Uri? _address;

    protected KestrelPortalFactory()
    {
        // Port 0: the OS picks a free port, so parallel runs never collide. Kestrel is told to listen itself rather
        // than through UseKestrel(port), whose rewrite of the server addresses after the build races Kestrel's own
        // bind in a minimal-hosting app (dotnet/aspnetcore#67714): "Addresses cannot be modified after the server
        // has started".
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The portal's root, e.g. <c>http://127.0.0.1:41234/</c>. Starts the server on first use.</summary>
    public Uri Address => _address ??= Start();

    private Uri Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var address = addresses.Select(a => new Uri(a)).FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttp)
            ?? throw new InvalidOperationException($"The portal listens on no http address ({string.Join(", ", addresses)}).");

        // Kestrel reports the host it bound ("localhost" or "[::]"); clients go to the loopback address.
        return new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
    }
}
