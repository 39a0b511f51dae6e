using System.Net;
using MfaReset.LoadTest.Hosting;

namespace MfaReset.LoadTest.Measurement;

/// <summary>How long a portal process took: to accept connections, and to answer the first 200.</summary>
internal sealed record ColdStartTimes(TimeSpan Listening, TimeSpan FirstOk);

/// <summary>
/// Starts the built portal as its own process (<see cref="PortalProcess"/>) and measures the time from
/// process start until its port accepts a connection, and until the first 200 on a page, polling every
/// few milliseconds.
/// </summary>
internal sealed class ColdStart(TimeProvider time)
{
    /// <summary>Starts the portal once and returns how long it took to listen and to serve <paramref name="path"/> with a 200.</summary>
    public async Task<ColdStartTimes> MeasureAsync(
        string portalDll, string path, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        var started = time.GetTimestamp();
        await using var portal = PortalProcess.Start(portalDll, environment);
        await portal.WaitListeningAsync(time, ct).ConfigureAwait(false);
        var listening = time.GetElapsedTime(started);
        var firstOk = await FirstOkAsync(http, new Uri(portal.Url, path), portal, started, ct).ConfigureAwait(false);
        return new ColdStartTimes(listening, firstOk);
    }

    private async Task<TimeSpan> FirstOkAsync(HttpClient http, Uri url, PortalProcess portal, long started, CancellationToken ct)
    {
        while (true)
        {
            portal.ThrowIfExited();
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

            await PortalProcess.PauseAsync(time, started, ct).ConfigureAwait(false);
        }
    }
}
