using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;
using MfaReset.Web.Storage.InMemory;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// What the flow pages read from the store. The tab guard and the page both look at the flow; the row is
/// read once per request (with the PostgreSQL store each read is a round trip), and what the pages show and
/// refuse stays the same.
/// </summary>
public sealed class FlowReadTests(FlowReadTests.CountingPortal app) : PortalTests<FlowReadTests.CountingPortal>(app)
{
    private const string Login = "tom.totp@example.com";

    [Fact]
    public async Task EveryPageOfAResetReadsItsFlowOnceAndTheDonePageStillSaysWhatHappened()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "okta-code");

        Assert.Equal(1, await App.FlowReadsOfAsync(() => browser.GetAsync("/reset/code")));
        Assert.Equal(1, await App.FlowReadsOfAsync(() => browser.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code)));
        Assert.Equal("/reset/password", browser.Location);
        Assert.Equal(1, await App.FlowReadsOfAsync(browser.FollowAsync));
        Assert.Equal(1, await App.FlowReadsOfAsync(() => browser.ChangePasswordAsync()));
        Assert.Equal("/reset/done", browser.Location);
        Assert.Equal(1, await App.FlowReadsOfAsync(browser.FollowAsync));

        Assert.Equal("Your password has been changed", browser.Heading);
        // Recorded on the ended flow after the change, from the state the end stored rather than a read-back.
        Assert.Contains("you've been signed out of Okta on all your devices", browser.Page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormOfAReplacedTabIsStillRefusedWithTheFlowReadOnce()
    {
        using var first = App.NewBrowser();
        await first.ChooseAsync(Login, "okta-code");
        using var second = App.NewBrowser();
        first.CopyCookiesTo(second); // one browser, two tabs
        await second.ChooseAsync(Login, "okta-code");
        second.CopyCookiesTo(first);

        Assert.Equal(1, await App.FlowReadsOfAsync(() => first.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code)));

        Assert.Equal("/reset/problem/superseded", first.Location);
        await second.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code);
        Assert.Equal("/reset/password", second.Location);
    }

    /// <summary>The portal on an in-memory store that counts its flow reads.</summary>
    public sealed class CountingPortal : PortalApp
    {
        private CountingStore? _store;

        /// <summary>How many times the store was asked for a flow while <paramref name="request"/> ran.</summary>
        public async Task<int> FlowReadsOfAsync(Func<Task> request)
        {
            var before = _store!.Reads;
            await request();
            return _store.Reads - before;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IFlowStore>(_ => _store = new CountingStore(new InMemoryFlowStore(Clock))));
        }
    }

    private sealed class CountingStore(IFlowStore inner) : IFlowStore
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public Task<FlowState?> GetAsync(string key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return inner.GetAsync(key, cancellationToken);
        }

        public Task<bool> TryAddAsync(FlowState state, DateTimeOffset retainUntil, CancellationToken cancellationToken) =>
            inner.TryAddAsync(state, retainUntil, cancellationToken);

        public Task<FlowState?> TryReplaceAsync(FlowState current, FlowState replacement, DateTimeOffset retainUntil, CancellationToken cancellationToken) =>
            inner.TryReplaceAsync(current, replacement, retainUntil, cancellationToken);

        public Task<FlowState?> TryReplaceAsync(FlowState current, FlowState replacement, DateTimeOffset retainUntil, StoreWrites alongside, CancellationToken cancellationToken) =>
            inner.TryReplaceAsync(current, replacement, retainUntil, alongside, cancellationToken);

        public Task<bool> ApplyAsync(StoreWrites writes, CancellationToken cancellationToken) => inner.ApplyAsync(writes, cancellationToken);

        public Task<(bool Recorded, FlowState? Flow)> TryRecordEventAndGetAsync(string counterKey, IReadOnlyList<RateRule> rules, string flowKey, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return inner.TryRecordEventAndGetAsync(counterKey, rules, flowKey, cancellationToken);
        }

        public Task RemoveAsync(string key, CancellationToken cancellationToken) => inner.RemoveAsync(key, cancellationToken);

        public Task<bool> TryRecordEventAsync(string counterKey, IReadOnlyList<RateRule> rules, CancellationToken cancellationToken) =>
            inner.TryRecordEventAsync(counterKey, rules, cancellationToken);

        public Task<int?> TryRecordEventsAsync(IReadOnlyList<CountedEvent> events, CancellationToken cancellationToken) =>
            inner.TryRecordEventsAsync(events, cancellationToken);

        public Task<int?> TryRecordEventsAsync(IReadOnlyList<CountedEvent> events, StoreWrites onRecorded, CancellationToken cancellationToken) =>
            inner.TryRecordEventsAsync(events, onRecorded, cancellationToken);

        public Task ForgetEventAsync(string counterKey, CancellationToken cancellationToken) => inner.ForgetEventAsync(counterKey, cancellationToken);

        public Task ForgetEventsAsync(IReadOnlyList<string> counterKeys, CancellationToken cancellationToken) => inner.ForgetEventsAsync(counterKeys, cancellationToken);


        public Task<FlowCensus> CountAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.CountAsync(now, cancellationToken);

        public Task<bool> TryAcquireLeaseAsync(string leaseKey, string holder, TimeSpan ttl, CancellationToken cancellationToken) =>
            inner.TryAcquireLeaseAsync(leaseKey, holder, ttl, cancellationToken);

        public Task ReleaseLeaseAsync(string leaseKey, string holder, CancellationToken cancellationToken) =>
            inner.ReleaseLeaseAsync(leaseKey, holder, cancellationToken);

        public Task SetLeaseAsync(string leaseKey, string holder, TimeSpan ttl, CancellationToken cancellationToken) =>
            inner.SetLeaseAsync(leaseKey, holder, ttl, cancellationToken);

        public Task<string?> GetLeaseHolderAsync(string leaseKey, CancellationToken cancellationToken) =>
            inner.GetLeaseHolderAsync(leaseKey, cancellationToken);
    }
}
