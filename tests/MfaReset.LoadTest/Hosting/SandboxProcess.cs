using System.Diagnostics;

namespace MfaReset.LoadTest.Hosting;

/// <summary>
/// The standalone sandbox (<c>dotnet MfaReset.Okta.Sandbox.dll</c>) in its own process, so its memory
/// (thousands of pending pushes) stays out of the heap measured for the portal.
/// </summary>
internal sealed class SandboxProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly Task _draining;

    private SandboxProcess(Process process, Uri baseUrl, string apiToken)
    {
        _process = process;
        // Keep draining its output so the sandbox never blocks on a full pipe.
        _draining = Task.WhenAll(
            process.StandardOutput.BaseStream.CopyToAsync(Stream.Null),
            process.StandardError.BaseStream.CopyToAsync(Stream.Null));
        BaseUrl = baseUrl;
        ApiToken = apiToken;
    }

    public Uri BaseUrl { get; }

    /// <summary>A secret: never printed.</summary>
    public string ApiToken { get; }

    /// <summary>Starts the sandbox with <paramref name="settings"/> (configuration keys such as <c>Sandbox:LoadTestUsers</c>).</summary>
    public static async Task<SandboxProcess> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "MfaReset.Okta.Sandbox.dll");
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            WorkingDirectory = AppContext.BaseDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--Sandbox:Port=0");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        // Its console log would interleave with the driver's table; warnings still reach stderr.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        try
        {
            var (url, token) = await ReadBannerAsync(process, ct).ConfigureAwait(false);
            return new SandboxProcess(process, url, token);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await _draining.ConfigureAwait(false);
        _process.Dispose();
    }

    // The standalone sandbox prints its org URL and token once it listens.
    private static async Task<(Uri Url, string Token)> ReadBannerAsync(Process process, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StartTimeout);
        Uri? url = null;
        while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("Org URL:", StringComparison.Ordinal))
            {
                url = new Uri(trimmed["Org URL:".Length..].Trim());
            }
            else if (trimmed.StartsWith("API token:", StringComparison.Ordinal) && url is not null)
            {
                return (url, trimmed["API token:".Length..].Trim());
            }
        }

        var errors = await process.StandardError.ReadToEndAsync(ct).ConfigureAwait(false);
        throw new InvalidOperationException($"The sandbox process exited before listening: {errors}");
    }
}

/// <summary>The <c>dotnet</c> executable to start other .NET programs with.</summary>
internal static class DotnetHost
{
    // The SDK names the dotnet it runs under; outside the SDK, the one on PATH.
    public static string Path =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
