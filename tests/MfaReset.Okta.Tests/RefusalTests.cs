using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Okta.Tests.Stub;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests;

/// <summary>
/// Okta's refusals that are not outages come out of the client as data (issue 22 item 8): the refusal named by its
/// code and status, and a 429's owner read from its headers (the org's bucket, its concurrency limit, the person's
/// own limit), so callers never guess from a status alone.
/// </summary>
public sealed class RefusalTests(ReplayContext okta) : IClassFixture<ReplayContext>
{
    /// <summary>Codes, statuses and summaries from Okta's error catalog (okta-developer-docs data/error-codes.json, 2023.02.1).</summary>
    public static TheoryData<int, string, string, OktaRefusal> Refusals => new()
    {
        { 403, "E0000099", "Only numbers located in US and Canada are allowed.  Contact your administrator if this is a problem.", OktaRefusal.PhoneRegionNotAllowed },
        { 400, "E0000140", "Telephony opt out error.", OktaRefusal.PhoneOptedOut },
        { 409, "E0000113", "An additional challenge is required.", OktaRefusal.FactorNeedsAnotherChallenge },
        { 403, "E0000038", "This operation is not allowed in the user's current status.", OktaRefusal.UserStatusForbids },
        { 403, "E0000032", "Unlock is not allowed for this user.", OktaRefusal.UnlockForbidden },
        { 409, "E0000112", "Cannot update this user because they are still being activated. Please try again in a few minutes.", OktaRefusal.UserBeingActivated },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task EachRefusalThatIsNotAnOutageIsNamedOnTheError(int status, string code, string summary, OktaRefusal refusal)
    {
        var body = $$"""{"errorCode":"{{code}}","errorSummary":"{{summary}}","errorLink":"{{code}}","errorId":"oae1","errorCauses":[]}""";

        var result = await okta.ServeAsync(StubResponse.Json(status, body), c => c.ChallengeAsync("00u1", "mbl1"));

        Assert.Equal(refusal, Assert.IsType<FactorVerifyResult.Failed>(result).Error.Refusal);
    }

    [Fact]
    public async Task TheDocumentedStatusErrorIsTheStatusRefusal()
    {
        var fixture = ContractFixture.Load("errors/E0000038-invalid-user-status.403.json");

        var result = await okta.ServeAsync(fixture.Response.ToStub(), c => c.UnlockUserAsync("00u1"));

        Assert.Equal(OktaRefusal.UserStatusForbids, Assert.IsType<OktaResult<NoContent>.Failed>(result).Error.Refusal);
    }

    [Fact]
    public async Task TheDocumentedConcurrencyAnswerIsTheOrgsConcurrencyLimit()
    {
        var fixture = ContractFixture.Load("errors/E0000047-concurrency-limit.429.json");

        var result = await okta.ServeAsync(fixture.Response.ToStub(), c => c.VerifyPasscodeAsync("00u1", "ost1", "123456"));

        Assert.Equal(OktaThrottle.Concurrency, Assert.IsType<FactorVerifyResult.Throttled>(result).Error.Throttle);
    }

    [Theory]
    [InlineData("1200", "0", OktaThrottle.OrgBucket)]
    [InlineData("1200", "1150", OktaThrottle.Person)]
    [InlineData("0", "0", OktaThrottle.Concurrency)]
    [InlineData(null, null, OktaThrottle.Unstated)]
    public async Task A429IsToldApartByItsHeaders(string? limit, string? remaining, OktaThrottle throttle)
    {
        var headers = limit is null ? null : new Dictionary<string, string>
        {
            ["X-Rate-Limit-Limit"] = limit,
            ["X-Rate-Limit-Remaining"] = remaining!,
            ["X-Rate-Limit-Reset"] = "1609459200",
        };
        const string Body = """{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oae1","errorCauses":[]}""";

        var result = await okta.ServeAsync(StubResponse.Json(429, Body, headers), c => c.VerifyPasscodeAsync("00u1", "ost1", "123456"));

        Assert.Equal(throttle, Assert.IsType<FactorVerifyResult.Throttled>(result).Error.Throttle);
    }

    [Fact]
    public void OktasVoiceCallLimitIsATelephonyThrottleLikeItsSmsLimit()
    {
        var call = new OktaError(403, "E0000151", null, null, [], null);

        Assert.True(OktaErrorCodes.IsTelephonyThrottle(call));
        Assert.Null(call.Refusal);
    }
}
