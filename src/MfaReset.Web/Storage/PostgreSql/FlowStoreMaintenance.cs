using Npgsql;

namespace MfaReset.Web.Storage.PostgreSql;

/// <summary>
/// With the PostgreSQL store: creates or upgrades its schema before the portal takes requests (a
/// failure stops the start), then deletes expired rows every <see cref="FlowStoreOptions.CleanupInterval"/>.
/// Expired rows are already invisible, so a failed sweep is logged and retried at the next tick.
/// With any other store it does nothing.
/// </summary>
internal sealed partial class FlowStoreMaintenance(IFlowStore store, IOptions<FlowStoreOptions> options, TimeProvider timeProvider, ILogger<FlowStoreMaintenance> logger)
    : BackgroundService
{
    private PeriodicTimer? _timer;

    // The registered store counts its calls; the work is done by the store it wraps.
    private readonly IFlowStore _store = store is MeteredFlowStore metered ? metered.Inner : store;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_store is PostgreSqlFlowStore postgres)
        {
            var found = await postgres.Schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
            Log.SchemaReady(logger, options.Value.Schema, Math.Max(found, FlowStoreSchema.LatestVersion), found);
            // Started here, not in ExecuteAsync (which runs later on the thread pool): the first sweep is one interval after start.
            _timer = new PeriodicTimer(options.Value.CleanupInterval, timeProvider);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_store is not PostgreSqlFlowStore postgres || _timer is null)
        {
            return;
        }

        while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                Log.Swept(logger, await postgres.DeleteExpiredAsync(stoppingToken).ConfigureAwait(false));
            }
            catch (NpgsqlException e)
            {
                Log.SweepFailed(logger, e);
            }
        }
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1400, LogLevel.Information, "Flow store schema {Schema} at version {Version} (found at {FoundVersion})")]
        public static partial void SchemaReady(ILogger logger, string schema, int version, int foundVersion);

        [LoggerMessage(1401, LogLevel.Debug, "Flow store cleanup deleted {Count} expired rows")]
        public static partial void Swept(ILogger logger, int count);

        [LoggerMessage(1402, LogLevel.Warning, "Flow store cleanup failed; retrying at the next interval")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
