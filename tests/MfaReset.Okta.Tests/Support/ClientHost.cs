using MfaReset.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MfaReset.Okta.Tests.Support;

/// <summary>
/// The real <see cref="IOktaClient"/>, wired exactly as the portal wires it (<c>AddOktaClient</c> over
/// configuration), with a test clock and captured logs. Optionally the network is replaced by an
/// in-memory handler for tests where time matters.
/// </summary>
public sealed class ClientHost : IAsyncDisposable
{
    public const string ApiToken = "00TEST-token-never-logged-8f3b";

    private readonly ServiceProvider _services;

    private ClientHost(ServiceProvider services, TestClock clock, FakeLogCollector logs, Uri orgUrl)
    {
        _services = services;
        Clock = clock;
        Logs = logs;
        OrgUrl = orgUrl;
        Client = services.GetRequiredService<IOktaClient>();
        Quota = services.GetRequiredService<IOktaQuotaMonitor>();
    }

    public IOktaClient Client { get; }

    /// <summary>The client's own services, e.g. the meter factory its instruments come from.</summary>
    public IServiceProvider Services => _services;

    /// <summary>The quota monitor the portal would ask, the one the client feeds.</summary>
    public IOktaQuotaMonitor Quota { get; }

    public TestClock Clock { get; }

    /// <summary>Every log record the client wrote, with its structured state.</summary>
    public FakeLogCollector Logs { get; }

    public Uri OrgUrl { get; }

    /// <summary>Builds the client for <paramref name="orgUrl"/>; <paramref name="primaryHandler"/> replaces the network when given.</summary>
    public static ClientHost Create(
        Uri orgUrl,
        TestClock? clock = null,
        HttpMessageHandler? primaryHandler = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        string apiToken = ApiToken)
    {
        clock ??= new TestClock();
        var logs = new FakeLogCollector();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Okta:OrgUrl"] = orgUrl.ToString(),
                ["Okta:ApiToken"] = apiToken,
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(clock)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        var builder = services.AddOktaClient();
        if (primaryHandler is not null)
        {
            builder.ConfigurePrimaryHttpMessageHandler(() => primaryHandler);
        }

        return new ClientHost(services.BuildServiceProvider(validateScopes: true), clock, logs, orgUrl);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
