using System.Text.Json.Nodes;
using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Testing;
using static MfaReset.Okta.Tests.Fixtures.ContractAssert;

namespace MfaReset.Okta.Tests.Replay;

/// <summary>updateUser (the client's set-password) and unlockUser fixtures.</summary>
public sealed class LifecycleReplayTests(ReplayContext context) : IClassFixture<ReplayContext>
{
    private const string OtherPassword = "Correct-Horse-42";

    public static TheoryData<string> UpdateUserFixtures => FixtureCatalog.Of("updateUser");

    public static TheoryData<string> UnlockUserFixtures => FixtureCatalog.Of("unlockUser");

    public static TheoryData<string> RevokeUserSessionsFixtures => FixtureCatalog.Of("revokeUserSessions");

    /// <summary>
    /// Every updateUser answer is a user object, which means the change went through. The profile and
    /// recovery-question examples document the same 200 for requests the portal never makes; the client
    /// sends its password body to them, and always with <c>?strict=true</c> so Okta applies password
    /// history and minimum age (the docs' example omits the parameter).
    /// </summary>
    [Theory]
    [MemberData(nameof(UpdateUserFixtures))]
    public async Task UpdateUserFixtureReplaysAsAStrictPasswordChange(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        UnderstoodBy(request);
        Assert.Empty(request.Query);
        var password = Field(request.Body, "credentials.password.value") ?? OtherPassword;

        var result = await context.ReplayAsync(fixture, client => client.SetPasswordAsync(request.Segment(1), password));

        var expectedBody = new JsonObject { ["credentials"] = new JsonObject { ["password"] = new JsonObject { ["value"] = password } } };
        RequestMatches(
            new ExpectedRequest("POST", request.Path, new Dictionary<string, string> { ["strict"] = "true" }, expectedBody),
            context.Stub.SingleRequest());
        Assert.Equal(200, fixture.Response.Status);
        Assert.IsType<SetPasswordResult.Changed>(result);
    }

    [Theory]
    [MemberData(nameof(UnlockUserFixtures))]
    public async Task UnlockUserFixtureReplaysAsABodilessPost(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        UnderstoodBy(request);

        var result = await context.ReplayAsync(fixture, client => client.UnlockUserAsync(request.Segment(3)));

        RequestMatches(new ExpectedRequest("POST", request.Path, request.Query, Body: null), context.Stub.SingleRequest());
        Assert.Equal(200, fixture.Response.Status);
        Assert.IsType<OktaResult<NoContent>.Ok>(result);
    }

    /// <summary>Both documented forms: sessions only, and sessions plus the user's OAuth tokens (<c>?oauthTokens=true</c>).</summary>
    [Theory]
    [MemberData(nameof(RevokeUserSessionsFixtures))]
    public async Task RevokeUserSessionsFixtureReplaysAsABodilessDelete(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        UnderstoodBy(request);
        var withOAuthTokens = request.Query.TryGetValue("oauthTokens", out var flag) && flag == "true";

        var result = await context.ReplayAsync(fixture, client => client.RevokeSessionsAsync(request.Segment(2), withOAuthTokens));

        RequestMatches(new ExpectedRequest("DELETE", request.Path, request.Query, Body: null), context.Stub.SingleRequest());
        Assert.Equal(204, fixture.Response.Status);
        Assert.IsType<OktaResult<NoContent>.Ok>(result);
    }
}
