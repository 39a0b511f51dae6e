using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Okta.Tests.Stub;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests;

/// <summary>
/// Okta's optimistic concurrency for users (spec, <c>/api/v1/users/{id}</c>): getUser answers with an <c>ETag</c>,
/// updateUser takes it back in <c>If-Match</c>. The spec documents no failure status or body; HTTP's is 412.
/// </summary>
public sealed class ConditionalSetTests(ReplayContext okta) : IClassFixture<ReplayContext>
{
    private const string Password = "Correct-Horse-42";
    private static readonly StubResponse UserAnswer = StubResponse.Json(200, """{"id":"00u1","status":"ACTIVE","profile":{"login":"x"}}""");
    private static readonly OktaEntityTag Documented = new("\"1234567890abcdef\"", IsWeak: true);

    [Fact]
    public async Task TheUserReadCarriesTheDocumentedETag()
    {
        var fixture = ContractFixture.Load("getUser/by-id.200.json");

        var read = await okta.ReplayAsync(fixture, c => c.GetUserAsync(fixture.Request!.Segment(1)));

        var user = Assert.IsType<OktaResult<OktaUser>.Ok>(read).Value;
        Assert.Equal(fixture.Response.Headers["ETag"], user.ETag?.HeaderValue);
        Assert.Equal(Documented, user.ETag);
    }

    [Fact]
    public async Task AReadWithoutETagHasNone()
    {
        var read = await okta.ServeAsync(UserAnswer, c => c.GetUserAsync("00u1"));

        Assert.Null(Assert.IsType<OktaResult<OktaUser>.Ok>(read).Value.ETag);
    }

    [Theory]
    [InlineData(true, "W/\"1234567890abcdef\"")]
    [InlineData(false, "\"1234567890abcdef\"")]
    public async Task AConditionalSetSendsTheTagInIfMatchAsOktaWroteIt(bool weak, string ifMatch)
    {
        var result = await okta.ServeAsync(UserAnswer, c => c.SetPasswordAsync("00u1", Password, Documented with { IsWeak = weak }));

        Assert.IsType<SetPasswordResult.Changed>(result);
        var request = okta.Stub.SingleRequest();
        Assert.Equal("/api/v1/users/00u1", request.RawPath);
        Assert.Equal(ifMatch, request.Header("If-Match"));
    }

    [Fact]
    public async Task AnUnconditionalSetSendsNoIfMatch()
    {
        await okta.ServeAsync(UserAnswer, c => c.SetPasswordAsync("00u1", Password));

        Assert.Null(okta.Stub.SingleRequest().Header("If-Match"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<html>Precondition Failed</html>")]
    [InlineData("""{"errorCode":"E0000000","errorSummary":"Precondition failed","errorId":"oae412","errorCauses":[]}""")]
    public async Task A412ToAConditionalSetIsUserChangedWhateverItsBody(string? body)
    {
        var answer = new StubResponse(412, new Dictionary<string, string> { ["Content-Type"] = "application/json" }, body);

        var result = await okta.ServeAsync(answer, c => c.SetPasswordAsync("00u1", Password, Documented));

        var changed = Assert.IsType<SetPasswordResult.UserChanged>(result);
        Assert.Equal(412, changed.Error.HttpStatus);
        Assert.Equal(body?.Contains("E0000000", StringComparison.Ordinal) == true ? "E0000000" : null, changed.Error.ErrorCode);
    }

    [Fact]
    public async Task A412ToAnUnconditionalSetIsAnOrdinaryFailure()
    {
        var result = await okta.ServeAsync(StubResponse.Json(412, "{}"), c => c.SetPasswordAsync("00u1", Password));

        Assert.Equal(412, Assert.IsType<SetPasswordResult.Failed>(result).Error.HttpStatus);
    }
}
