using System.Runtime.InteropServices;

namespace MfaReset.Okta.Sandbox;

/// <summary>
/// Standalone mode: <c>dotnet run --project src/MfaReset.Okta.Sandbox</c>. Reads the <c>Sandbox</c> section from
/// <c>sandbox.json</c> beside the binary, environment variables (<c>Sandbox__ApiToken</c>) and the command line
/// (<c>--Sandbox:Port=5255</c>); like any ASP.NET Core app it honours <c>--urls</c> and <c>ASPNETCORE_URLS</c>
/// (a loopback address: the sandbox never listens beyond this machine). Serves until Ctrl+C or SIGTERM.
/// A port in use or a bad setting is reported in one line, with exit code 1.
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
        if ((configuration["urls"] ?? configuration["ASPNETCORE_URLS"]) is { Length: > 0 } urls)
        {
            if (PortOf(urls) is not { } port)
            {
                return Fail($"--urls / ASPNETCORE_URLS \"{urls}\": give one loopback address with a port, such as http://127.0.0.1:5255 (the sandbox only listens on this machine).");
            }

            options.Port = port;
        }

        // A failed start is reported below in one line; the host's own report of it is a stack trace.
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical));
        RunningSandbox sandbox;
        try
        {
            sandbox = await OktaSandbox.StartAsync(options, TimeProvider.System, loggerFactory).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return Fail($"port {options.Port} on 127.0.0.1 is already in use. Stop what uses it, or choose another port: --urls http://127.0.0.1:PORT");
        }
        catch (System.ComponentModel.DataAnnotations.ValidationException invalid)
        {
            return Fail(invalid.Message.ReplaceLineEndings(" "));
        }

        await using (sandbox.ConfigureAwait(false))
        {
            // The operator needs the token and the service app's settings to point a client here; this is the one place they are shown.
            var app = sandbox.ServiceApp;
            var keyLine = app.DemoPrivateKeyPem is { } pem
                ? $"demo private key (made for this run) in {WriteDemoKey(pem)}"
                : "the private key of Sandbox:ServiceApp:PublicKey";
            Console.WriteLine($"""
                Okta sandbox running.
                  Org URL:         {sandbox.BaseUrl}
                  API token:       {sandbox.ApiToken}
                  Phone simulator: {sandbox.PhoneSimulatorUrl}
                  Service app:     Okta__Authorization=PrivateKeyJwt Okta__ClientId={app.ClientId} Okta__KeyId={app.KeyId}
                                   Okta__PrivateKey: {keyLine}
                                   DPoP required: {options.ServiceApp.RequireDpop || options.ServiceApp.RequireDpopNonce}, nonce required: {options.ServiceApp.RequireDpopNonce}
                Press Ctrl+C to stop.
                """);

            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true; // stop cleanly below rather than being killed mid-response
                stop.Cancel();
            });
            await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            Console.WriteLine("Okta sandbox stopped.");
        }

        return 0;
    }

    /// <summary>
    /// Writes the demo private key beside the binary (bin/, which git ignores), readable by this user only,
    /// so a client can read it with <c>Okta__PrivateKey="$(cat …)"</c>. Each run makes a new one.
    /// </summary>
    private static string WriteDemoKey(string pem)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "sandbox-demo-service-app-key.pem");
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(path, pem);
        return path;
    }

    /// <summary>The port of the first of <paramref name="urls"/> (separated by ';'), when it is an http loopback address with a port.</summary>
    internal static int? PortOf(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return Uri.TryCreate(first, UriKind.Absolute, out var url)
            && url.Scheme == Uri.UriSchemeHttp
            && url.IsLoopback
            && first!.Contains(':' + url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                ? url.Port
                : null;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("Okta sandbox: " + message);
        return 1;
    }
}
