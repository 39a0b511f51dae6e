using System.Diagnostics.Metrics;
using System.Net;
using MfaReset.Web.Reset.Audit;
using MfaReset.Okta;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Testing;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The push page and its poll endpoint: deny, wrong number, timeout, coalescing, cookies.</summary>
public sealed class PushStepTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private const string Login = "pat.push@example.com";
    private Task<PortalBrowser> PushSentAsync() => App.NewBrowserWithPushSentAsync(Login);

    [Fact]
    public async Task DeniedPushEndsTheFlow()
    {
        using var browser = await PushSentAsync();
        var push = Assert.Single(App.Okta.GetPendingPushes(Login));

        App.Okta.DenyPush(push.TransactionId);
        var (_, body) = await browser.PollAsync();

        Assert.Equal("rejected", body.GetProperty("state").GetString());
        Assert.Equal("/reset/problem/push-rejected", body.GetProperty("redirect").GetString());
        await browser.GetAsync("/reset/problem/push-rejected");
        Assert.Equal(HttpStatusCode.Forbidden, browser.Response.StatusCode);
        Assert.Equal("The push wasn't approved", browser.Heading);
        await browser.GetAsync("/reset/push");
        Assert.Equal("/reset/problem/push-rejected", browser.Location);
    }

    [Fact]
    public async Task PickingTheWrongNumberRejectsThePush()
    {
        using var browser = await PushSentAsync();
        var push = Assert.Single(App.Okta.GetPendingPushes(Login));
        var wrong = push.Choices.First(n => n != push.CorrectAnswer);

        Assert.Equal(PushAnswerOutcome.WrongNumber, App.Okta.ApprovePush(push.TransactionId, wrong));
        var (_, body) = await browser.PollAsync();

        Assert.Equal("rejected", body.GetProperty("state").GetString());
        Assert.False(App.Okta.IsCurrentPassword(Login, PortalBrowser.Password));
    }

    [Fact]
    public async Task TimedOutPushOffersAnotherPushOrMethod()
    {
        App.Okta.ScriptNextPush(Login, ScriptedPushOutcome.TimeOut);
        using var browser = await PushSentAsync();

        var (_, body) = await browser.PollAsync();
        Assert.Equal("expired", body.GetProperty("state").GetString());
        await browser.GetAsync(body.GetProperty("redirect").GetString()!);

        Assert.Equal("The push notification expired", browser.Heading);
        var again = browser.Page.QuerySelector("form button")!;
        Assert.Equal("Send another push", again.TextContent.Trim());
        Assert.Equal("60", again.GetAttribute("data-enable-after"));
        Assert.NotNull(browser.Page.QuerySelectorAll("a").SingleOrDefault(a => a.TextContent == "Try another method"));
        App.Clock.Advance(TimeSpan.FromSeconds(60));
        await browser.SendPushAsync();
        Assert.Equal("Check your phone", browser.Heading);
    }

    [Fact]
    public async Task PollsAreCoalescedWhateverTheirNumber()
    {
        using var browser = await PushSentAsync();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(4000, (await browser.PollAsync()).Body.GetProperty("next").GetInt32() / 1000 * 1000);
        }

        Assert.Equal(1, App.CallsFor(Login, OktaOperations.GetFactorTransactionStatus));
        App.Clock.Advance(TimeSpan.FromSeconds(4));
        await browser.PollAsync();
        Assert.Equal(2, App.CallsFor(Login, OktaOperations.GetFactorTransactionStatus));
    }

    [Fact]
    public async Task PollBetweenIntervalsWritesNothingToTheStoreNotEvenForThePerClientLimit()
    {
        using var browser = await PushSentAsync();
        await browser.PollAsync(); // due: asks Okta and stamps the poll clock
        using var operations = new MetricCollector<long>(App.Services.GetRequiredService<IMeterFactory>(), PortalMetrics.MeterName, "mfareset.flow_store.operations");

        var (status, body) = await browser.PollAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("pending", body.GetProperty("state").GetString());
        Assert.Equal(1, App.CallsFor(Login, OktaOperations.GetFactorTransactionStatus));
        // Reads of the flow only: no poll stamp, no per-client event.
        var performed = operations.GetMeasurementSnapshot().Select(m => (string?)m.Tags["operation"]).ToList();
        Assert.NotEmpty(performed);
        Assert.All(performed, operation => Assert.Equal("get", operation));
    }

    [Fact]
    public async Task PollWithoutAFlowCookieIsNotFound()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");

        var (status, _) = await browser.PollAsync();

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(0, App.RequestOktaCalls);
    }

    [Fact]
    public async Task PollWithNoPushPendingLogsNothingAboveDebug()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        var before = App.Logs.Count;

        var (status, _) = await browser.PollAsync();

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(LogLevel.Debug, Assert.Single(App.Logs.Since(before), r => r.Id.Id == 1202).Level); // a client may poll 30,000 times a minute
        // The org's list of administrators is read in the background, whenever its interval comes: not this poll's logging.
        Assert.All(App.Logs.Since(before).Where(r => !PortalApp.IsOrgListRead(r.Value("Operation"))), r => Assert.True(r.Level <= LogLevel.Debug, $"{r.Level} {r.Id}: {r.Message}"));
    }

    [Fact]
    public async Task PollWithAnotherFlowsCookieLearnsNothing()
    {
        using var owner = await PushSentAsync();
        using var other = App.NewBrowser();
        await other.ChooseAsync(Login, "push");
        var pollsBefore = App.CallsFor(Login, OktaOperations.GetFactorTransactionStatus);

        var (status, _) = await other.PollAsync();

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(pollsBefore, App.CallsFor(Login, OktaOperations.GetFactorTransactionStatus));
        Assert.Single(App.Okta.GetPendingPushes(Login));
        Assert.Equal("pending", (await owner.PollAsync()).Body.GetProperty("state").GetString());
    }

    [Fact]
    public async Task PollWithoutTheAntiforgeryHeaderIsRefused()
    {
        using var browser = await PushSentAsync();

        var (status, _) = await browser.PollAsync(antiforgeryToken: "forged");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(0, App.CallsFor(Login, OktaOperations.GetFactorTransactionStatus));
    }

    [Fact]
    public async Task PushStatusNeverCarriesOktaIdsOrLinks()
    {
        using var browser = await PushSentAsync();
        var push = Assert.Single(App.Okta.GetPendingPushes(Login));

        var (_, body) = await browser.PollAsync();

        Assert.Equal(["state", "number", "next"], body.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain(push.TransactionId, browser.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(App.Okta.GetUser(Login).Id, browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PickingAnotherMethodCancelsThePushOnThePhone()
    {
        const string Login = "max.multi@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "push");
        await browser.SendPushAsync();
        Assert.Single(App.Okta.GetPendingPushes(Login));

        await browser.GetAsync("/reset/method");
        await browser.PostAsync("/reset/method", ("Input.Choice", "okta-code"));

        Assert.Empty(App.Okta.GetPendingPushes(Login));
        Assert.Equal(1, App.CallsFor(Login, OktaOperations.CancelFactorTransaction));
        await browser.FollowAsync();
        Assert.Equal("Enter the code from Okta Verify", browser.Heading);
    }
}
