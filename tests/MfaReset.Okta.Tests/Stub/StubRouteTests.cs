using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests.Stub;

/// <summary>The stub serving a fixture answers only the fixture's method and path; anything else gets Okta's 404.</summary>
public sealed class StubRouteTests(ReplayContext context) : IClassFixture<ReplayContext>
{
    private const string UserId = "00u15s1KDETTQMQYABRL";

    [Fact]
    public async Task AFixturesRouteRefusesACallToAnotherPathWithOktasNotFound()
    {
        var factorList = ContractFixture.Load("listFactors/list.200.json");

        var result = await context.ReplayAsync(factorList, client => client.GetUserAsync(UserId));

        var error = Assert.IsType<OktaResult<OktaUser>.NotFound>(result).Error;
        Assert.Equal((404, "E0000007"), (error.HttpStatus, error.ErrorCode));
        Assert.Equal($"Not found: Resource not found: /api/v1/users/{UserId}", error.ErrorSummary);
        Assert.Equal($"/api/v1/users/{UserId}", context.Stub.SingleRequest().RawPath);
    }

    [Fact]
    public async Task AnIdSegmentOfTheFixturesRouteMatchesAnyId()
    {
        var factorList = ContractFixture.Load("listFactors/list.200.json");
        Assert.NotEqual("/api/v1/users/00uSomeoneElse/factors", factorList.Request!.Path);

        var result = await context.ReplayAsync(factorList, client => client.ListFactorsAsync("00uSomeoneElse"));

        Assert.NotEmpty(Assert.IsType<OktaResult<IReadOnlyList<OktaFactor>>.Ok>(result).Value);
    }

    [Fact]
    public async Task AnotherMethodOnTheFixturesPathIsRefused()
    {
        var setPassword = ContractFixture.Load("updateUser/set-password.200.json");
        var userId = setPassword.Request!.Segment(1);
        Assert.Equal("POST", setPassword.Request.Method);

        var result = await context.ReplayAsync(setPassword, client => client.GetUserAsync(userId));

        var error = Assert.IsType<OktaResult<OktaUser>.NotFound>(result).Error;
        Assert.Equal((404, "E0000007"), (error.HttpStatus, error.ErrorCode));
        Assert.Equal("GET", context.Stub.SingleRequest().Method);
    }

    [Theory]
    [InlineData("GET", "/api/v1/users/00uOther/factors/sms1/transactions/v2mst.other", true)]
    [InlineData("get", "/api/v1/users/00uOther/factors/sms1/transactions/v2mst.other?x=1", true)]
    [InlineData("GET", "/api/v1/users/00uOther/roles/sms1/transactions/v2mst.other", false)]
    [InlineData("GET", "/api/v2/users/00uOther/factors/sms1/transactions/v2mst.other", false)]
    [InlineData("GET", "/api/v1/users/00uOther/factors/sms1/transactions", false)]
    [InlineData("GET", "/api/v1/users/00uOther/factors/sms1/transactions/v2mst.other/more", false)]
    [InlineData("POST", "/api/v1/users/00uOther/factors/sms1/transactions/v2mst.other", false)]
    public void LiteralSegmentsAndTheMethodMustMatchAndIdsMayDiffer(string method, string rawPath, bool matches)
    {
        var route = StubRoute.Of(ContractFixture.Load("getFactorTransactionStatus/waiting.200.json"))!;

        Assert.Equal(matches, route.Matches(method, rawPath));
    }
}
