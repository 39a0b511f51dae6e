namespace MfaReset.Web.Hosting;

/// <summary>
/// What <c>FlowStore:*</c> must hold outside Development, checked when the host starts: Data Protection keys
/// kept in PostgreSQL are protected at rest (<see cref="FlowStoreOptions.KeyCertificatePath"/>, or the
/// operator's <see cref="FlowStoreOptions.KeysProtectedByPlatform"/>), and the connection requires TLS unless
/// it never leaves this machine or <see cref="FlowStoreOptions.AllowUnencryptedConnection"/> says a lab allows it.
/// </summary>
internal sealed class FlowStoreDeploymentValidator(IServiceProvider services) : IValidateOptions<FlowStoreOptions>
{
    // Without a host (a bare service collection) nothing says Development, so the stricter rules apply.
    private readonly bool _development = services.GetService<IHostEnvironment>()?.IsDevelopment() == true;

    public ValidateOptionsResult Validate(string? name, FlowStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_development || options.Provider != FlowStoreProvider.PostgreSql)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (options.KeyCertificatePath is not { Length: > 0 } && !options.KeysProtectedByPlatform)
        {
            failures.Add("The Data Protection keys kept in PostgreSQL must be protected at rest outside Development: set FlowStore:KeyCertificatePath " +
                "to a .pfx file (its password in the environment as FlowStore__KeyCertificatePassword), or FlowStore:KeysProtectedByPlatform=true " +
                "if the platform protects them.");
        }

        if (options.ConnectionPrivacy() is (Tls: false, OnThisMachine: false) && !options.AllowUnencryptedConnection)
        {
            failures.Add("FlowStore:ConnectionString must require TLS outside Development (SSL Mode=VerifyFull, or Require): flows, limits and " +
                "keys would cross the network in clear. For a lab, FlowStore:AllowUnencryptedConnection=true starts anyway, with a warning.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Says at start what the flow store settings leave open: a PostgreSQL connection without TLS (and why it was
/// allowed), how the Data Protection keys are protected at rest, and limits counted per instance when the
/// in-memory store runs behind a reverse proxy, which may balance several instances.
/// </summary>
internal sealed partial class FlowStoreStartNotes(
    IOptions<FlowStoreOptions> store, IOptions<ReverseProxyOptions> proxies, IHostEnvironment environment, ILogger<FlowStoreStartNotes> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = store.Value;
        if (options.Provider == FlowStoreProvider.InMemory)
        {
            if (proxies.Value.KnownProxies.Count > 0)
            {
                Log.InstanceLimits(logger, proxies.Value.KnownProxies.Count);
            }

            return Task.CompletedTask;
        }

        switch (options.ConnectionPrivacy())
        {
            case (Tls: false, OnThisMachine: true):
                Log.Unencrypted(logger, "the database is on this machine (loopback or Unix socket)");
                break;
            case (Tls: false, OnThisMachine: false):
                Log.Unencrypted(logger, environment.IsDevelopment() ? "this is Development" : "FlowStore:AllowUnencryptedConnection is set");
                break;
        }

        Log.KeysAtRest(logger, options.KeyCertificatePath is { Length: > 0 } ? "encrypted to FlowStore:KeyCertificatePath's certificate"
            : options.KeysProtectedByPlatform ? "left to the platform (FlowStore:KeysProtectedByPlatform)"
            : "not protected (Development)");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1403, LogLevel.Warning, "The connection to PostgreSQL is not required to use TLS: allowed because {Reason}")]
        public static partial void Unencrypted(ILogger logger, string reason);

        [LoggerMessage(1404, LogLevel.Information, "Data Protection keys in PostgreSQL at rest: {Protection}")]
        public static partial void KeysAtRest(ILogger logger, string protection);

        [LoggerMessage(1405, LogLevel.Warning, "FlowStore:Provider is InMemory behind {ProxyCount} reverse prox(ies): if more than one instance of the portal " +
            "serves this site, each counts its own limits (attempts, sends, pushes, starts per username), so every limit is multiplied by the " +
            "number of instances and a reset token works only on the instance that issued it. Use FlowStore:Provider=PostgreSql for several instances")]
        public static partial void InstanceLimits(ILogger logger, int proxyCount);
    }
}
