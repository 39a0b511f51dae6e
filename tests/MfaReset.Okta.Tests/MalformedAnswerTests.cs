using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Okta.Tests.Stub;

namespace MfaReset.Okta.Tests;

/// <summary>
/// Everything from Okta is untrusted input: an answer with a value out of range or of the wrong type is
/// an Okta error result (<c>Failed</c>, no error code), never an exception and never a value the portal
/// would act on (an id of <c>..</c> would become a path segment).
/// </summary>
public sealed class MalformedAnswerTests(ReplayContext okta) : IClassFixture<ReplayContext>
{
    private const string Factor = """{"id":"sms1","factorType":"sms","provider":"OKTA","status":"ACTIVE","profile":{"phoneNumber":"+15554151337"}}""";

    public static TheoryData<string> BadUsers =>
    [
        """{"id":"..","status":"ACTIVE","profile":{"login":"ada@example.com"}}""",
        """{"id":".","status":"ACTIVE","profile":{"login":"ada@example.com"}}""",
        """{"id":"00u1/../admin","status":"ACTIVE","profile":{"login":"ada@example.com"}}""",
        """{"id":"00u1%2F..","status":"ACTIVE","profile":{"login":"ada@example.com"}}""",
        $$$"""{"id":"{{{new string('a', 101)}}}","status":"ACTIVE","profile":{"login":"ada@example.com"}}""",
        """{"id":"00u1","status":"ACTIVE","profile":{"login":"ada@example.com\r\nX-Injected: 1"}}""",
        """{"id":"00u1","status":"ACTIVE","profile":{"login":"ada@example.com"},"passwordChanged":"9999-12-31T23:59:59.000Z"}""",
        """{"id":"00u1","status":"ACTIVE","profile":{"login":"ada@example.com"},"passwordChanged":"0001-01-01T00:00:00.000Z"}""",
        """{"id":"00u1","status":"ACTIVE","profile":{"login":"ada@example.com"},"passwordChanged":12}""",
        """{"id":7,"status":"ACTIVE","profile":{"login":"ada@example.com"}}""",
        """{"id":"00u1","status":["ACTIVE"],"profile":{"login":"ada@example.com"}}""",
        """{"id":"00u1","status":"ACTIVE","profile":"ada@example.com"}""",
    ];

    [Theory]
    [MemberData(nameof(BadUsers))]
    public async Task AUserAnswerOutOfBoundsIsAFailedResult(string body)
    {
        var result = await okta.ServeAsync(StubResponse.Json(200, body), c => c.GetUserAsync("ada@example.com"));

        var failed = Assert.IsType<OktaResult<OktaUser>.Failed>(result);
        Assert.Null(failed.Error.ErrorCode);
        Assert.Equal(200, failed.Error.HttpStatus);
    }

    [Theory]
    [InlineData("""[{"id":"..","factorType":"sms","provider":"OKTA","status":"ACTIVE"}]""")]
    [InlineData("""[{"id":"sms1","factorType":"sms","provider":"OKTA","status":"ACTIVE","profile":{"phoneNumber":"+1555\u0000"}}]""")]
    [InlineData("""[{"id":"sms1","factorType":"sms\nx","provider":"OKTA","status":"ACTIVE"}]""")]
    [InlineData("""[{"id":"sms1","factorType":"sms","provider":"OKTA","status":"ACTIVE","profile":{"phoneNumber":12}}]""")]
    [InlineData("""{"id":"sms1"}""")]
    public async Task AFactorListWithAnyElementOutOfBoundsIsAFailedResult(string body)
    {
        var result = await okta.ServeAsync(StubResponse.Json(200, body), c => c.ListFactorsAsync("00u1"));

        Assert.Null(Assert.IsType<OktaResult<IReadOnlyList<OktaFactor>>.Failed>(result).Error.ErrorCode);
    }

    [Theory]
    [InlineData("253402300799")] // 9999-12-31
    [InlineData("99999999999999999999")]
    [InlineData("-5")]
    [InlineData("soon")]
    [InlineData("1.5")]
    public async Task ARateLimitResetOutOfRangeMakesTheAnswerAFailedResult(string reset)
    {
        var headers = new Dictionary<string, string> { ["X-Rate-Limit-Limit"] = "600", ["X-Rate-Limit-Remaining"] = "599", ["X-Rate-Limit-Reset"] = reset };
        var user = """{"id":"00u1","status":"ACTIVE","profile":{"login":"ada@example.com"}}""";

        var userResult = await okta.ServeAsync(StubResponse.Json(200, user, headers), c => c.GetUserAsync("ada@example.com"));
        var factorResult = await okta.ServeAsync(StubResponse.Json(200, "[" + Factor + "]", headers), c => c.ListFactorsAsync("00u1"));

        Assert.Null(Assert.IsType<OktaResult<OktaUser>.Failed>(userResult).Error.ErrorCode);
        Assert.Null(Assert.IsType<OktaResult<IReadOnlyList<OktaFactor>>.Failed>(factorResult).Error.ErrorCode);
    }

    [Theory]
    [InlineData("""{"factorResult":"WAITING","_embedded":{"challenge":{"correctAnswer":123456}},"_links":{"poll":{"href":"{orgUrl}/api/v1/users/00u1/factors/opf1/transactions/v2mst1"}}}""")]
    [InlineData("""{"factorResult":"WAITING","expiresAt":"9999-01-01T00:00:00.000Z","_links":{"poll":{"href":"{orgUrl}/api/v1/users/00u1/factors/opf1/transactions/v2mst1"}}}""")]
    [InlineData("""{"factorResult":"CHALLENGE","expiresAt":"not a date"}""")]
    [InlineData("""{"factorResult":5}""")]
    [InlineData("""{"factorResult":"WAITING\u0000"}""")]
    public async Task AVerifyAnswerOutOfBoundsIsAFailedResult(string body)
    {
        var result = await okta.ServeAsync(StubResponse.Json(200, body), c => c.PollPushAsync(PushPollHandle.Deserialize($"{okta.BaseUrl}/api/v1/users/00u1/factors/opf1/transactions/v2mst1")));

        Assert.IsType<FactorVerifyResult.Failed>(result);
    }
}
