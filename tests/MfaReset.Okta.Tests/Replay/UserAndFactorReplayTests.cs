using System.Text.Json.Nodes;
using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Okta.Tests.Stub;
using MfaReset.Testing;
using static MfaReset.Okta.Tests.Fixtures.ContractAssert;

namespace MfaReset.Okta.Tests.Replay;

/// <summary>getUser and listFactors fixtures through the client's reads; getFactor's documented factors through the factor list.</summary>
public sealed class UserAndFactorReplayTests(ReplayContext context) : IClassFixture<ReplayContext>
{
    /// <summary>The kinds the portal can verify (issue 2); every other type/provider pair is Unsupported.</summary>
    private static readonly Dictionary<(string Type, string Provider), FactorKind> Kinds = new()
    {
        [("sms", "OKTA")] = FactorKind.Sms,
        [("call", "OKTA")] = FactorKind.Call,
        [("push", "OKTA")] = FactorKind.OktaVerifyPush,
        [("token:software:totp", "OKTA")] = FactorKind.OktaVerifyTotp,
        [("token:software:totp", "GOOGLE")] = FactorKind.GoogleAuthenticator,
        [("email", "OKTA")] = FactorKind.Email,
    };

    public static TheoryData<string> GetUserFixtures => FixtureCatalog.Of("getUser");

    public static TheoryData<string> ListAssignedRolesFixtures => FixtureCatalog.Of("listAssignedRolesForUser");

    public static TheoryData<string> ListFactorsFixtures => FixtureCatalog.Of("listFactors");

    public static TheoryData<string> GetFactorFixtures => FixtureCatalog.Of("getFactor");

    /// <summary>An optional instant of the fixture's body (null when absent or JSON null).</summary>
    private static DateTimeOffset? InstantOf(System.Text.Json.Nodes.JsonNode? body, string path) =>
        Field(body, path) is { } text ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;

    [Theory]
    [MemberData(nameof(GetUserFixtures))]
    public async Task GetUserFixtureReplaysWithTheLoginPercentEncoded(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        UnderstoodBy(request);

        var result = await context.ReplayAsync(fixture, client => client.GetUserAsync(request.Segment(1)));

        RequestMatches(new ExpectedRequest("GET", request.Path, request.Query, Body: null), context.Stub.SingleRequest());
        if (fixture.Response.Status == 200)
        {
            var body = fixture.Response.Body;
            var user = Assert.IsType<OktaResult<OktaUser>.Ok>(result).Value;
            Assert.Equal(
                new OktaUser(
                    Field(body, "id")!,
                    DocumentedEnum<OktaUserStatus>(Field(body, "status")!),
                    Field(body, "profile.login")!,
                    Field(body, "profile.email"),
                    Field(body, "credentials.provider.type"),
                    // Null for users who never set a password in Okta (STAGED, PROVISIONED, FEDERATION, SOCIAL).
                    InstantOf(body, "passwordChanged"))
                {
                    FirstName = Field(body, "profile.firstName"),
                    LastName = Field(body, "profile.lastName"),
                    StatusChanged = InstantOf(body, "statusChanged"),
                    LastLogin = InstantOf(body, "lastLogin"),
                    // Change notices go to the second email too; Okta sends "" or null when there is none.
                    SecondEmail = Field(body, "profile.secondEmail") is { Length: > 0 } second ? second : null,
                    TimeZone = Field(body, "profile.timezone") is { Length: > 0 } zone ? zone : null,
                    // The documented Etag header (W/"..." for a weak tag), for a conditional set.
                    ETag = fixture.Response.Headers.TryGetValue("ETag", out var etag)
                        ? new OktaEntityTag(etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag, etag.StartsWith("W/", StringComparison.Ordinal))
                        : null,
                },
                user);
            // Every documented provider (OKTA, IMPORT, FEDERATION, SOCIAL) is one the portal decides on.
            Assert.NotEqual(CredentialsProvider.Unknown, user.Provider);
        }
        else
        {
            Assert.Equal(404, fixture.Response.Status);
            ErrorMatches(fixture.Response, Assert.IsType<OktaResult<OktaUser>.NotFound>(result).Error);
        }
    }

    /// <summary>Every role, direct or through a group, in Okta's order; an empty list is a user without admin roles.</summary>
    [Theory]
    [MemberData(nameof(ListAssignedRolesFixtures))]
    public async Task ListAssignedRolesFixtureReplaysEveryRoleWithItsType(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        UnderstoodBy(request);

        var result = await context.ReplayAsync(fixture, client => client.ListAssignedRolesAsync(request.Segment(2)));

        RequestMatches(new ExpectedRequest("GET", request.Path, request.Query, Body: null), context.Stub.SingleRequest());
        var roles = Assert.IsType<OktaResult<IReadOnlyList<OktaRole>>.Ok>(result).Value;
        Assert.Equal(
            fixture.Response.Body!.AsArray().Select(r => new OktaRole(Field(r, "type")!, Field(r, "status"), Field(r, "assignmentType"))),
            roles);
    }

    [Theory]
    [MemberData(nameof(ListFactorsFixtures))]
    public async Task ListFactorsFixtureReplaysEveryFactorInOktasOrder(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        UnderstoodBy(request);

        var result = await context.ReplayAsync(fixture, client => client.ListFactorsAsync(request.Segment(2)));

        RequestMatches(new ExpectedRequest("GET", request.Path, request.Query, Body: null), context.Stub.SingleRequest());
        var factors = Assert.IsType<OktaResult<IReadOnlyList<OktaFactor>>.Ok>(result).Value;
        Assert.Equal(fixture.Response.Body!.AsArray().Select(ExpectedFactor), factors);
    }

    /// <summary>
    /// The client reads no single factor, but getFactor documents factors the list fixture lacks (push with its
    /// device, email): each one, answered as a list of one, reads into the same factor.
    /// </summary>
    [Theory]
    [MemberData(nameof(GetFactorFixtures))]
    public async Task GetFactorFixtureFactorReadsTheSameInAFactorList(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        var list = new JsonArray(fixture.Response.Body!.DeepClone());

        var result = await context.ServeAsync(StubResponse.Json(200, list.ToJsonString()), client => client.ListFactorsAsync(request.Segment(3)));

        RequestMatches(new ExpectedRequest("GET", $"/api/v1/users/{request.Segment(3)}/factors", ExpectedRequest.NoQuery, Body: null), context.Stub.SingleRequest());
        var factor = Assert.Single(Assert.IsType<OktaResult<IReadOnlyList<OktaFactor>>.Ok>(result).Value);
        Assert.Equal(ExpectedFactor(fixture.Response.Body), factor);
    }

    private static OktaFactor ExpectedFactor(JsonNode? factor)
    {
        var type = Field(factor, "factorType")!;
        var provider = Field(factor, "provider")!;
        var kind = Kinds.GetValueOrDefault((type, provider), FactorKind.Unsupported);
        return new OktaFactor(
            Field(factor, "id")!,
            type,
            provider,
            DocumentedEnum<OktaFactorStatus>(Field(factor, "status")!),
            kind,
            PhoneNumber: kind is FactorKind.Sms or FactorKind.Call ? Field(factor, "profile.phoneNumber") : null,
            DeviceName: kind is FactorKind.OktaVerifyPush ? Field(factor, "profile.name") : null)
        {
            Email = kind is FactorKind.Email ? Field(factor, "profile.email") : null,
        };
    }
}
