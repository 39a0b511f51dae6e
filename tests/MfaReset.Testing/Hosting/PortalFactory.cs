using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MfaReset.Testing.Hosting;

/// <summary>
/// The portal (<typeparamref name="TProgram"/>, its own <c>Program</c>) in a test host, configured by
/// <see cref="Settings"/> on top of its appsettings. Generic so that a project that must alias the portal's
/// assembly (its <c>Program</c> beside the sandbox's) can name it.
/// </summary>
public abstract class PortalFactory<TProgram> : WebApplicationFactory<TProgram>
    where TProgram : class
{
    /// <summary>Settings a host wants on top of the portal's appsettings.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>The host's environment; null leaves the factory's own (Development).</summary>
    protected virtual string? EnvironmentName => null;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (EnvironmentName is { } environment)
        {
            builder.UseEnvironment(environment);
        }

        // Settings given this way reach Program's top-level code before the host is built, which matters for
        // values read while composing services (such as whether to embed the sandbox).
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
