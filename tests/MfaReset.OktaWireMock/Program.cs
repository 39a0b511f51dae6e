using System.Globalization;
using WireMock.Server;
using WireMock.Settings;

// A standalone Okta stand-in: WireMock serving tests/okta-wiremock/mappings (generated from the contract
// fixtures by MfaReset.Web.Tests), so the portal can be pointed at it by hand.
// Usage: dotnet run --project tests/MfaReset.OktaWireMock -- [--port 9091] [--mappings <folder>]
var port = 9091;
var mappings = Path.Combine(AppContext.BaseDirectory, "mappings");
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port":
            port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--mappings":
            mappings = args[i + 1];
            break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Usage: --port 9091 --mappings <folder>");
            return 2;
    }
}

// Loopback only: the portal accepts an http org URL only on a loopback host. The admin interface shows what the
// portal called: GET /__admin/requests.
using var server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{port}"], StartAdminInterface = true });
var url = server.Url!;
var files = Directory.GetFiles(mappings, "*.json").Order(StringComparer.Ordinal).ToArray();
foreach (var file in files)
{
    // The mappings keep the pack's {orgUrl} placeholder; links in the answers point back at this server.
    server.WithMapping(File.ReadAllText(file).Replace("{orgUrl}", url, StringComparison.Ordinal));
}

Console.WriteLine($"Okta stand-in (WireMock) with {files.Length} mappings from {mappings} at {url}");
Console.WriteLine($"Run the portal with Okta__OrgUrl={url} Okta__ApiToken=<any value>; the login is isaac.brock@example.com.");
Console.WriteLine($"The portal's calls: {url}/__admin/requests. Ctrl+C stops it.");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Ctrl+C or SIGTERM: stop the server below.
}

server.Stop();
return 0;
