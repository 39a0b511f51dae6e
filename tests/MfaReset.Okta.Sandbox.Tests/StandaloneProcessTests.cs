using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MfaReset.Okta.Sandbox.Tests;

/// <summary>The standalone sandbox as an operator runs it: its address from --urls or ASPNETCORE_URLS, a port clash in one line, SIGTERM.</summary>
public sealed class StandaloneProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task HonoursUrlsReportsAPortClashInOneLineAndStopsOnSigterm()
    {
        var port = FreePort();
        using var first = Start(["--urls", $"http://127.0.0.1:{port}"]);
        await WaitForLineAsync(first, "Okta sandbox running.");
        var serviceApp = await LinesUntilAsync(first, "Press Ctrl+C to stop.");
        Assert.Contains(serviceApp, line => line.Contains("Okta__Authorization=PrivateKeyJwt Okta__ClientId=0oasandboxsvc0app0id Okta__KeyId=sandbox-demo-key", StringComparison.Ordinal));
        var keyPath = serviceApp.Single(line => line.Contains("demo private key", StringComparison.Ordinal)).Split(" in ")[^1].Trim();
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(keyPath, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.DoesNotContain(serviceApp, line => line.Contains("BEGIN PRIVATE KEY", StringComparison.Ordinal));
        using (var http = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/simulator"), TestContext.Current.CancellationToken)).StatusCode);
        }

        using var second = Start([], new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        var stderr = await second.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await second.WaitForExitAsync(new CancellationTokenSource(Patience).Token);
        Assert.Equal(1, second.ExitCode);
        Assert.Equal([$"Okta sandbox: port {port} on 127.0.0.1 is already in use. Stop what uses it, or choose another port: --urls http://127.0.0.1:PORT"], stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", await second.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using (var kill = Process.Start("kill", ["-TERM", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await WaitForLineAsync(first, "Okta sandbox stopped.");
        await first.WaitForExitAsync(new CancellationTokenSource(Patience).Token);
        Assert.Equal(0, first.ExitCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5300", 5300)]
    [InlineData("http://localhost:5301;https://localhost:5302", 5301)]
    [InlineData("http://0.0.0.0:5303", null)]
    [InlineData("http://example.com:5304", null)]
    [InlineData("http://127.0.0.1", null)]
    [InlineData("https://127.0.0.1:5305", null)]
    public void TakesTheFirstLoopbackHttpAddressWithAPort(string urls, int? port) =>
        Assert.Equal(port, SandboxProgram.PortOf(urls));

    private static Process Start(string[] args, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(OktaSandbox).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    /// <summary>The output lines up to <paramref name="last"/>.</summary>
    private static async Task<List<string>> LinesUntilAsync(Process process, string last)
    {
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(Patience);
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } read && read.Trim() != last)
        {
            lines.Add(read);
        }

        return lines;
    }

    private static async Task WaitForLineAsync(Process process, string line)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } read)
        {
            if (read.Trim() == line)
            {
                return;
            }
        }

        Assert.Fail($"The sandbox ended without printing \"{line}\".");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
