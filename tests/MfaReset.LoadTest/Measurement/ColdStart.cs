using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MfaReset.LoadTest.Measurement;

/// <summary>How long a portal process took: to accept connections, and to answer the first 200.</summary>
internal sealed record ColdStartTimes(TimeSpan Listening, TimeSpan FirstOk);

/// <summary>
/// Starts the built portal as its own process (<c>dotnet MfaReset.Web.dll</c>) and measures the time
/// from process start until its port accepts a connection, and until the first 200 on a page, polling
/// every few milliseconds.
/// </summary>
internal sealed class ColdStart(TimeProvider time)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    /// <summary>Starts the portal once and returns how long it took to listen and to serve <paramref name="path"/> with a 200.</summary>
    public async Task<ColdStartTimes> MeasureAsync(
        string portalDll, string path, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(Hosting.DotnetHost.Path)
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

        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var url = new Uri($"http://127.0.0.1:{port}{path}");
        var errors = new Queue<string>();

        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        var started = time.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {portalDll}.");
        try
        {
            // Drain the pipes so a chatty startup log never blocks the portal on a full pipe.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => Keep(errors, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var listening = await ListeningAsync(port, process, started, errors, ct).ConfigureAwait(false);
            var firstOk = await FirstOkAsync(http, url, process, started, errors, ct).ConfigureAwait(false);
            return new ColdStartTimes(listening, firstOk);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<TimeSpan> ListeningAsync(int port, Process process, long started, Queue<string> errors, CancellationToken ct)
    {
        while (true)
        {
            ThrowIfExited(process, errors);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, ct).ConfigureAwait(false);
                return time.GetElapsedTime(started);
            }
            catch (SocketException)
            {
                // Not listening yet.
            }

            await PauseAsync(started, ct).ConfigureAwait(false);
        }
    }

    private async Task<TimeSpan> FirstOkAsync(
        HttpClient http, Uri url, Process process, long started, Queue<string> errors, CancellationToken ct)
    {
        while (true)
        {
            ThrowIfExited(process, errors);
            try
            {
                using var response = await http.GetAsync(url, ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return time.GetElapsedTime(started);
                }

                if ((int)response.StatusCode >= 500)
                {
                    throw new InvalidOperationException($"The portal answered {(int)response.StatusCode} on {url.AbsolutePath} while starting.");
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await PauseAsync(started, ct).ConfigureAwait(false);
        }
    }

    private async Task PauseAsync(long started, CancellationToken ct)
    {
        if (time.GetElapsedTime(started) > GiveUpAfter)
        {
            throw new TimeoutException($"The portal did not start within {GiveUpAfter.TotalSeconds} s.");
        }

        await Task.Delay(PollEvery, time, ct).ConfigureAwait(false);
    }

    private static void ThrowIfExited(Process process, Queue<string> errors)
    {
        if (process.HasExited)
        {
            throw new InvalidOperationException($"The portal exited with code {process.ExitCode} while starting: {Snapshot(errors)}");
        }
    }

    private static void Keep(Queue<string> lines, string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (lines)
        {
            lines.Enqueue(line);
            if (lines.Count > 5)
            {
                lines.Dequeue();
            }
        }
    }

    private static string Snapshot(Queue<string> lines)
    {
        lock (lines)
        {
            return string.Join(" | ", lines);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
