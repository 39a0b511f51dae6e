namespace MfaReset.Okta.Sandbox;

/// <summary>
/// Standalone mode: <c>dotnet run --project src/MfaReset.Okta.Sandbox</c>. Reads the <c>Sandbox</c> section from
/// <c>sandbox.json</c> beside the binary, environment variables (<c>Sandbox__ApiToken</c>) and the command line
/// (<c>--Sandbox:Port=5255</c>), serves until Ctrl+C.
/// </summary>
internal static class SandboxProgram
{
    public static async Task<int> Main(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("sandbox.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var options = configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>() ?? new SandboxOptions();

        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
        await using var sandbox = await OktaSandbox.StartAsync(options, TimeProvider.System, loggerFactory).ConfigureAwait(false);

        // The operator needs the token to point a client here; this is the one place it is shown.
        Console.WriteLine($"""
            Okta sandbox running.
              Org URL:         {sandbox.BaseUrl}
              API token:       {sandbox.ApiToken}
              Phone simulator: {sandbox.PhoneSimulatorUrl}
            Press Ctrl+C to stop.
            """);

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        return 0;
    }
}
