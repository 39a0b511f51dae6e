namespace MfaReset.LoadTest.Hosting;

/// <summary>
/// Where each run's stage comes from: a fresh portal and sandbox in this process per run, or the one
/// external portal for every run (its user pool then lasts the whole invocation).
/// </summary>
internal sealed class StageSource(DriverOptions options, HttpClient http) : IAsyncDisposable
{
    private Stage? _external;

    public bool IsExternal => options.IsExternal;

    /// <summary>A stage for one run; dispose it after the run (a no-op for the shared external stage).</summary>
    public async Task<IStageLease> OpenAsync(StageSettings settings, CancellationToken ct)
    {
        if (!options.IsExternal)
        {
            return new OwnedLease(await Stage.StartAsync(settings, http, ct).ConfigureAwait(false));
        }

        _external ??= await Stage.ExternalAsync(options.PortalUrl!, options.SandboxUrl!, http, ct).ConfigureAwait(false);
        return new SharedLease(_external);
    }

    public ValueTask DisposeAsync() => _external?.DisposeAsync() ?? ValueTask.CompletedTask;

    private sealed class OwnedLease(Stage stage) : IStageLease
    {
        public Stage Stage => stage;

        public ValueTask DisposeAsync() => stage.DisposeAsync();
    }

    private sealed class SharedLease(Stage stage) : IStageLease
    {
        public Stage Stage => stage;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>A stage for the duration of one run.</summary>
internal interface IStageLease : IAsyncDisposable
{
    Stage Stage { get; }
}
