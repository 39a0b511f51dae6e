extern alias Portal;

using MfaReset.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;

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

    protected override IReadOnlyDictionary<string, string?> Settings => settings;
}
