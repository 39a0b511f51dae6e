using System.Text.Json;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.OutOfProcessOkta;

/// <summary>A push WAITING, then answered, through WireMock's scenario: the portal polls the challenge's own poll link.</summary>
public sealed class PushOverSocketTests
{
    private const string User = "/api/v1/users/00ub0oNGTSWTBKOLGLNR";

    // The push challenge's poll link (push-challenge.201), which the poll fixtures are served at.
    private const string Transaction = User + "/factors/opfh52xcuft3J4uZc0g3/transactions/mst1eiHghhPxf0yhp0g";

    // The fixtures' recovery rule lets only email start a reset: a verified push would end on "use another method".
    private static readonly Dictionary<string, string> WithoutOrgRule = new() { ["Reset:FollowOktaRecoveryPolicy"] = "false" };

    [Theory]
    [InlineData(PushOutcome.Success, "approved", "getFactorTransactionStatus/success.200", "GET U/roles")]
    // The pack documents no answer to the cancel (its README: "Not covered"), so WireMock's own 404 answers it.
    [InlineData(PushOutcome.Rejected, "rejected", "getFactorTransactionStatus/rejected.200", "DELETE T")]
    [InlineData(PushOutcome.Timeout, "expired", "getFactorTransactionStatus/timeout.200", null)]
    public async Task PushWaitsThenEndsAsOktaAnswers(PushOutcome outcome, string state, string answeredWith, string? afterAnswer)
    {
        await using var okta = new WireMockOkta(outcome, WithoutOrgRule);
        using var browser = okta.NewBrowser();
        await browser.ChooseAsync(OktaContractMappings.Login, "push");
        await browser.SendPushAsync();

        var (_, first) = await browser.PollAsync();
        Assert.Equal("pending", first.GetProperty("state").GetString());
        var last = await PollUntilAnsweredAsync(browser, first);

        Assert.Equal(state, last.GetProperty("state").GetString());
        Assert.Equal(["verifyFactor/push-challenge.201", "getFactorTransactionStatus/waiting.200", answeredWith], MappingsAnswering(okta, "POST", "GET"));
        string[] pushAndPolls = ["POST U/factors/opfh52xcuft3J4uZc0g3/verify", "GET T", "GET T"];
        Assert.Equal(
            ["GET /api/v1/users/isaac.brock@example.com", "GET U/factors", .. pushAndPolls, .. afterAnswer is null ? Array.Empty<string>() : [afterAnswer]],
            okta.Calls.Select(c => c.Replace(Transaction, "T", StringComparison.Ordinal).Replace(User, "U", StringComparison.Ordinal)));
        if (outcome == PushOutcome.Success)
        {
            await browser.GetAsync(last.GetProperty("redirect").GetString()!);
            await browser.ChangePasswordAsync();
            Assert.Equal("/reset/done", browser.Location);
        }
    }

    /// <summary>The fixtures that answered the portal's push and poll calls, in order.</summary>
    private static IEnumerable<string?> MappingsAnswering(WireMockOkta okta, params string[] methods) =>
        okta.WireMock.LogEntries.OrderBy(e => e.RequestMessage.DateTime)
            .Where(e => e.RequestMessage.Path.Contains("/factors/opf", StringComparison.Ordinal) && methods.Contains(e.RequestMessage.Method))
            .Select(e => e.MappingTitle);

    /// <summary>Polls as the page script does, waiting the interval the portal names between polls.</summary>
    private static async Task<JsonElement> PollUntilAnsweredAsync(PortalBrowser browser, JsonElement body)
    {
        for (var polls = 0; polls < 10 && body.GetProperty("state").GetString() == "pending"; polls++)
        {
            await Task.Delay(body.GetProperty("next").GetInt32());
            (_, body) = await browser.PollAsync();
        }

        return body;
    }
}
