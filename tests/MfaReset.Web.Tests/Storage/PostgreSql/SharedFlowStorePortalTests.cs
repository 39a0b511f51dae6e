using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Storage.PostgreSql;

/// <summary>
/// Two portal hosts over one PostgreSQL schema and one Okta, as behind a load balancer: a browser's
/// requests may reach either, and the single-use reset token holds across them.
/// </summary>
public sealed class SharedFlowStorePortalTests : IClassFixture<SharedFlowStorePortalTests.TwoInstances>
{
    private const string Login = "tom.totp@example.com";
    private readonly TwoInstances _portals;

    public SharedFlowStorePortalTests(TwoInstances portals)
    {
        _portals = portals;
        _portals.A.FreshStart();
        _portals.B.FreshStart();
    }

    private long PasswordCalls => _portals.A.CallsFor(Login, OktaOperations.UpdateUser);

    /// <summary>Verified through instance A; a second browser session with the same cookies is on B's password page.</summary>
    private async Task<(PortalBrowser OnA, PortalBrowser OnB)> VerifiedOnAAndOpenOnBAsync()
    {
        var onA = _portals.A.NewBrowser();
        await onA.ChooseAsync(Login, "okta-code");
        await onA.EnterCodeAsync(_portals.A.Okta.GetTotpCodes(Login).Single().Code);
        await onA.FollowAsync();
        var onB = _portals.B.NewBrowser();
        onA.CopyCookiesTo(onB);
        await onB.GetAsync("/reset/password");
        Assert.Equal("Choose a new password", onB.Heading);
        return (onA, onB);
    }

    [Fact]
    public async Task ATokenUsedThroughOneInstanceIsRefusedByTheOther()
    {
        var (onA, onB) = await VerifiedOnAAndOpenOnBAsync();
        using (onA)
        using (onB)
        {
            await onA.ChangePasswordAsync();
            await onB.ChangePasswordAsync("Another-Try-2027");

            Assert.Equal("/reset/done", onA.Location);
            Assert.Equal("/reset/problem/changed-in-another-tab", onB.Location); // the same browser's reset, already finished: no second change, and no claim that this one was set
            Assert.Equal(1, PasswordCalls);
            Assert.True(_portals.A.Okta.IsCurrentPassword(Login, PortalBrowser.Password));
        }
    }

    [Fact]
    public async Task ConcurrentSubmitsToTwoInstancesMakeExactlyOnePasswordCall()
    {
        var (onA, onB) = await VerifiedOnAAndOpenOnBAsync();
        using (onA)
        using (onB)
        {
            var results = await Task.WhenAll(onA.ChangePasswordAsync(), onB.ChangePasswordAsync());

            Assert.Equal(1, PasswordCalls);
            var locations = results.Select(r => r.Headers.Location?.OriginalString).ToList();
            Assert.Contains("/reset/done", locations);
            // The other submit met the change in progress or, coming after it, the finished reset: never a second change.
            Assert.All(locations, l => Assert.Contains(l, new[] { "/reset/done", "/reset/problem/already-used" }));
        }
    }

    [Fact]
    public async Task AFormLoadedFromOneInstanceCanBePostedToTheOther()
    {
        using var onA = _portals.A.NewBrowser();
        await onA.GetAsync("/");
        using var onB = _portals.B.NewBrowser();
        onA.CopyCookiesTo(onB);

        using var form = new FormUrlEncodedContent([new("Input.Username", Login), new("__RequestVerificationToken", onA.AntiforgeryToken)]);
        var response = await onB.Client.PostAsync(new Uri("/", UriKind.Relative), form, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/reset/method", response.Headers.Location?.OriginalString);
        // One key ring, in the database: the instances share it rather than each making its own (or
        // both reading this machine's key folder, which would hide the problem in a one-machine test).
        Assert.Equal(1L, await _portals.Database.CountAsync("data_protection_keys"));
    }

    [Fact]
    public async Task APersonsSendLimitAndResendCooldownHoldAcrossInstances()
    {
        const string smsLogin = "sam.sms@example.com";
        using var onA = _portals.A.NewBrowser();
        using var onB = _portals.B.NewBrowser();
        await onA.ChooseAsync(smsLogin, "sms");
        await onB.ChooseAsync(smsLogin, "sms");
        long Sends() => _portals.A.CallsFor(smsLogin, OktaOperations.VerifyFactor);

        // A flow on each instance, sends alternating: each flow stays under its own limit (3), the person does not.
        var sent = new List<long>();
        var sentPages = new List<string?>();
        var held = new List<string?>();
        var (from, other) = (onA, onB);
        for (var i = 0; i < 3; i++)
        {
            await from.PostAsync("/reset/code/send");
            sent.Add(Sends());
            sentPages.Add(from.Location);
            await other.PostAsync("/reset/code/send");
            held.Add(other.Location);
            _portals.WaitOutResendCooldown();
            (from, other) = (other, from);
        }

        // A fresh flow (its own sends unspent, as a held send spends the flow's like a sent one): the person's limit refuses it.
        using var fresh = _portals.B.NewBrowser();
        await fresh.ChooseAsync(smsLogin, "sms");
        var callsBefore = _portals.A.Okta.GetCallCounts().ByUser[smsLogin].Values.Sum();
        await fresh.PostAsync("/reset/code/send");

        Assert.Equal([1L, 2L, 3L], sent); // the send right after another instance's never reached Okta
        Assert.Equal(sentPages, held); // held back by the other instance's cooldown: the same "sent" page, nothing sent
        Assert.Equal("/reset/problem/code-limit-reached", fresh.Location);
        Assert.Equal(callsBefore, _portals.A.Okta.GetCallCounts().ByUser[smsLogin].Values.Sum());
    }

    [Fact]
    public async Task PollsOfOnePushThroughBothInstancesAskOktaOncePerInterval()
    {
        const string pushLogin = "pat.push@example.com";
        using var onA = _portals.A.NewBrowser();
        await onA.ChooseAsync(pushLogin, "push");
        await onA.SendPushAsync();
        using var onB = _portals.B.NewBrowser();
        onA.CopyCookiesTo(onB);
        long Polls() => _portals.A.CallsFor(pushLogin, OktaOperations.GetFactorTransactionStatus);

        var answers = new List<string?>();
        for (var interval = 0; interval < 3; interval++)
        {
            for (var i = 0; i < 3; i++)
            {
                answers.Add((await onA.PollAsync(onA.AntiforgeryToken)).Body.GetProperty("state").GetString());
                answers.Add((await onB.PollAsync(onA.AntiforgeryToken)).Body.GetProperty("state").GetString());
            }

            Assert.Equal(interval + 1, Polls());
            _portals.Advance(TimeSpan.FromSeconds(4));
        }

        Assert.All(answers, state => Assert.Equal("pending", state));
    }

    /// <summary>Instance A with its Okta sandbox, instance B using A's; both on one test schema, dropped at the end.</summary>
    public sealed class TwoInstances(PostgreSqlServer postgres) : IAsyncLifetime
    {
        private readonly TestDatabase _database = new(postgres);

        public TestDatabase Database => _database;

        public PortalApp A { get; private set; } = default!;

        public PortalApp B { get; private set; } = default!;

        /// <summary>Time passes for both instances (and A's sandbox) alike.</summary>
        public void Advance(TimeSpan by)
        {
            A.Clock.Advance(by);
            B.Clock.Advance(by);
        }

        /// <summary>The person waits until the send-again button comes back (Reset:Limits:ResendCooldown, 30 s).</summary>
        public void WaitOutResendCooldown() => Advance(TimeSpan.FromSeconds(31));

        public async ValueTask InitializeAsync()
        {
            A = new Instance(_database.Schema, sharedOkta: null);
            await A.InitializeAsync();
            B = new Instance(_database.Schema, sharedOkta: A.Sandbox);
            await B.InitializeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await ((IAsyncLifetime)B).DisposeAsync();
            await ((IAsyncLifetime)A).DisposeAsync();
            await _database.DisposeAsync();
        }

        private sealed class Instance(string schema, RunningSandbox? sharedOkta) : PortalApp
        {
            protected override IReadOnlyDictionary<string, string?> Settings
            {
                get
                {
                    var settings = new Dictionary<string, string?>
                    {
                        ["FlowStore:Provider"] = "PostgreSql",
                        ["FlowStore:ConnectionString"] = PostgreSqlServer.ConnectionString,
                        ["FlowStore:Schema"] = schema,
                        // Every instance reads the keys another one made and encrypted to the shared certificate.
                        ["FlowStore:KeyCertificatePath"] = TestKeyCertificate.Path,
                        ["FlowStore:KeyCertificatePassword"] = TestKeyCertificate.Password,
                    };
                    if (sharedOkta is not null)
                    {
                        settings["Okta:OrgUrl"] = sharedOkta.BaseUrl.GetLeftPart(UriPartial.Authority);
                        settings["Okta:ApiToken"] = sharedOkta.ApiToken;
                    }

                    return settings;
                }
            }
        }
    }
}
