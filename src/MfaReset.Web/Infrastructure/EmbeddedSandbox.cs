using MfaReset.Okta.Sandbox;

namespace MfaReset.Web.Infrastructure;

/// <summary>
/// The composition root's one use of the sandbox: when <c>Okta:OrgUrl</c> is not configured, start the
/// Okta emulator on loopback inside this process, point the Okta client at it, and stop it with the
/// host. With a real org configured nothing of the sandbox runs.
/// </summary>
public static partial class EmbeddedSandbox
{
    public const string SectionName = SandboxOptions.SectionName;

    /// <summary>Starts the sandbox when no org is configured and registers <see cref="SandboxInfo"/> either way.</summary>
    public static async Task StartIfNoOrgConfiguredAsync(this WebApplicationBuilder builder, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Okta:OrgUrl"]))
        {
            builder.Services.AddSingleton(SandboxInfo.None);
            return;
        }

        var options = builder.Configuration.GetSection(SectionName).Get<SandboxOptions>() ?? new SandboxOptions();
        var sandbox = await OktaSandbox.StartAsync(options, TimeProvider.System, new QuietHostingLogs(loggerFactory)).ConfigureAwait(false);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Okta:OrgUrl"] = sandbox.BaseUrl.GetLeftPart(UriPartial.Authority),
            ["Okta:ApiToken"] = sandbox.ApiToken,
        });
        builder.Services.AddSingleton(new SandboxInfo(sandbox.PhoneSimulatorUrl));
        // Owned by the host from here on: stopped with it, also when a test host is disposed.
        builder.Services.AddHostedService(_ => new Lifetime(sandbox));
        Log.SandboxStarted(loggerFactory.CreateLogger(typeof(EmbeddedSandbox)), sandbox.BaseUrl, sandbox.PhoneSimulatorUrl);
    }

    // The sandbox is a second host in this process; its "Now listening" lines would read like the portal's own.
    private sealed class QuietHostingLogs(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName.StartsWith("Microsoft.Hosting", StringComparison.Ordinal) ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance : inner.CreateLogger(categoryName);

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose()
        {
            // The inner factory belongs to the caller.
        }
    }

    private sealed class Lifetime(RunningSandbox sandbox) : IHostedService, IAsyncDisposable
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken) => await sandbox.DisposeAsync().ConfigureAwait(false);

        public ValueTask DisposeAsync() => sandbox.DisposeAsync();
    }

    private static partial class Log
    {
        [LoggerMessage(1300, LogLevel.Warning, "No Okta org configured (Okta:OrgUrl): using the embedded Okta sandbox at {OrgUrl}; phone simulator at {PhoneSimulatorUrl}")]
        public static partial void SandboxStarted(ILogger logger, Uri orgUrl, Uri phoneSimulatorUrl);
    }
}
