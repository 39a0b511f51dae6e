using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

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

    // The built host's environment, whose file providers the host never disposes (see DisposeAsync).
    private IWebHostEnvironment? _environment;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        _environment = host.Services.GetService<IWebHostEnvironment>();
        return host;
    }

    /// <summary>
    /// Stops the host, then disposes its web root's and content root's file providers, through any composite: a
    /// stopped host leaves them be, and a physical provider that was watched (the layout's asp-append-version
    /// watches each stylesheet and script) holds an inotify instance until disposed, one per test host.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        if (_environment is { } environment)
        {
            foreach (var provider in Flatten(environment.WebRootFileProvider).Concat(Flatten(environment.ContentRootFileProvider)).OfType<IDisposable>().Distinct())
            {
                provider.Dispose();
            }
        }

        GC.SuppressFinalize(this);
    }

    private static IEnumerable<IFileProvider> Flatten(IFileProvider? provider) => provider switch
    {
        null => [],
        CompositeFileProvider composite => composite.FileProviders.SelectMany(Flatten),
        _ => [provider],
    };

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
