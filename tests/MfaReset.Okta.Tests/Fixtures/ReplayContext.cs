using MfaReset.Okta.Tests.Stub;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;
using Microsoft.Extensions.Logging.Testing;

namespace MfaReset.Okta.Tests.Fixtures;

/// <summary>One stub and one client per test class; tests in a class run one at a time.</summary>
public sealed class ReplayContext : IAsyncLifetime
{
    /// <summary>
    /// The replay clock stands at the start of 2015, before every documented <c>X-Rate-Limit-Reset</c>
    /// (2015-11 and 2021-01): on a live 429 the reset always lies ahead, and these lie far beyond any budget.
    /// </summary>
    public static readonly DateTimeOffset ReplayNow = new(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private OktaStub? _stub;
    private ClientHost? _host;

    public OktaStub Stub => _stub ?? throw new InvalidOperationException("Not started.");

    public IOktaClient Client => (_host ?? throw new InvalidOperationException("Not started.")).Client;

    public string BaseUrl => Stub.BaseUrl;

    public FakeLogCollector Logs => (_host ?? throw new InvalidOperationException("Not started.")).Logs;

    /// <summary>Serves <paramref name="fixture"/>'s response on the fixture's own route and makes the call.</summary>
    public Task<T> ReplayAsync<T>(ContractFixture fixture, Func<IOktaClient, Task<T>> call) =>
        ServeAsync(fixture.Response.ToStub(), call, StubRoute.Of(fixture));

    /// <summary>Serves <paramref name="response"/> (on <paramref name="only"/> when given) and makes the call.</summary>
    public Task<T> ServeAsync<T>(StubResponse response, Func<IOktaClient, Task<T>> call, StubRoute? only = null)
    {
        Stub.Serve(response, only);
        return call(Client);
    }

    public async ValueTask InitializeAsync()
    {
        var clock = new TestClock(ReplayNow);
        _stub = await OktaStub.StartAsync(clock);
        _host = ClientHost.Create(_stub.OrgUrl, clock);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_stub is not null)
        {
            await _stub.DisposeAsync();
        }
    }
}
