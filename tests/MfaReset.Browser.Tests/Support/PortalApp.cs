extern alias Portal;

using MfaReset.Testing.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MfaReset.Browser.Tests.Support;

/// <summary>
/// The portal as people meet it: real Kestrel on a loopback port a browser can reach, with the Okta
/// sandbox embedded (no <c>Okta:OrgUrl</c>), configured by the given settings on top of its
/// own appsettings.
/// </summary>
public sealed class PortalApp(IReadOnlyDictionary<string, string?> settings) : KestrelPortalFactory<Portal::Program>
{
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

    /// <summary>What the portal logged (Information and above), for stories that check its audit events.</summary>
    public FakeLogCollector Logs { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(Logs)));
    }
}
