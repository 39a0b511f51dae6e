using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MfaReset.LoadTest.Hosting;

/// <summary>
/// The built portal as its own process (<c>dotnet MfaReset.Web.dll</c>) on a free loopback port, configured
/// through environment variables as a deployment would be: its memory is then its own, not the driver's.
/// </summary>
internal sealed class PortalProcess : IAsyncDisposable
{
    private const int KeptErrorLines = 5;
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Queue<string> _errors = new();

    private PortalProcess(Process process, int port, int metricsPort)
    {
        _process = process;
        Port = port;
        Url = new Uri($"http://127.0.0.1:{port}/");
        MetricsUrl = new Uri($"http://127.0.0.1:{metricsPort}/metrics");
    }

    public int Port { get; }

    public Uri Url { get; }

    /// <summary>The Prometheus scrape when <c>Metrics:Prometheus</c> is on: the portal serves it only on its own port.</summary>
    public Uri MetricsUrl { get; }

    public int Id => _process.Id;

    /// <summary>
    /// Starts <paramref name="portalDll"/> with <paramref name="environment"/> (variable names, e.g.
    /// <c>Okta__OrgUrl</c>); returns at once, before it listens (see <see cref="WaitListeningAsync"/>).
    /// </summary>
    public static PortalProcess Start(string portalDll, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            WorkingDirectory = Path.GetDirectoryName(portalDll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(portalDll);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var metricsPort = FreeLoopbackPort();
        start.Environment["Metrics__PrometheusPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port};http://127.0.0.1:{metricsPort}";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {portalDll}.");
        var portal = new PortalProcess(process, port, metricsPort);
        // Drain the pipes so a chatty log never blocks the portal on a full pipe; keep the last errors for a failure's message.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => portal.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return portal;
    }

    /// <summary>Configuration keys (<c>Okta:OrgUrl</c>) as the environment variables .NET reads them from (<c>Okta__OrgUrl</c>).</summary>
    public static Dictionary<string, string> EnvironmentOf(IEnumerable<KeyValuePair<string, string?>> settings) =>
        settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);

    /// <summary>Returns once the portal's port accepts a connection, checking every few milliseconds.</summary>
    public async Task WaitListeningAsync(TimeProvider time, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            ThrowIfExited();
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, Port, ct).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet.
            }

            await PauseAsync(time, started, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Waits a few milliseconds before the next check; throws once the portal has had a minute to start.</summary>
    public static async Task PauseAsync(TimeProvider time, long started, CancellationToken ct)
    {
        if (time.GetElapsedTime(started) > GiveUpAfter)
        {
            throw new TimeoutException($"The portal did not start within {GiveUpAfter.TotalSeconds} s.");
        }

        await Task.Delay(PollEvery, time, ct).ConfigureAwait(false);
    }

    public void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"The portal exited with code {_process.ExitCode}: {RecentErrors()}");
        }
    }

    /// <summary>The portal process's resident set, managed or not.</summary>
    public long WorkingSetBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        _process.Dispose();
    }

    /// <summary>The portal's own build output, in the driver's configuration; else the copy beside the driver.</summary>
    public static string DefaultDll()
    {
        var configuration = typeof(PortalProcess).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var built = Path.Combine(dir.FullName, "src", "MfaReset.Web", "bin", configuration, "net10.0", "MfaReset.Web.dll");
            if (File.Exists(built))
            {
                return built;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "MfaReset.Web.dll");
    }

    private void Keep(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (_errors)
        {
            _errors.Enqueue(line);
            if (_errors.Count > KeptErrorLines)
            {
                _errors.Dequeue();
            }
        }
    }

    private string RecentErrors()
    {
        lock (_errors)
        {
            return string.Join(" | ", _errors);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
