using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Okta.Tests.Stub;

namespace MfaReset.Okta.Tests;

/// <summary>
/// Values Okta adds later (factor types, statuses, results, fields) parse without crashing; a body that
/// lacks what the portal relies on fails closed as <c>Failed</c> with no error code (security.md item 79).
/// </summary>
public sealed class ParsingTests(ReplayContext okta) : IClassFixture<ReplayContext>
{
    public static TheoryData<string, string, FactorKind> FactorKinds => new()
    {
        { "sms", "OKTA", FactorKind.Sms },
        { "call", "OKTA", FactorKind.Call },
        { "push", "OKTA", FactorKind.OktaVerifyPush },
        { "token:software:totp", "OKTA", FactorKind.OktaVerifyTotp },
        { "token:software:totp", "GOOGLE", FactorKind.GoogleAuthenticator },
        { "token:software:totp", "CUSTOM", FactorKind.Unsupported },
        { "push", "DUO", FactorKind.Unsupported },
        { "sms", "CUSTOM", FactorKind.Unsupported },
        { "email", "OKTA", FactorKind.Email },
        { "question", "OKTA", FactorKind.Unsupported },
        { "token", "RSA", FactorKind.Unsupported },
        { "token:hardware", "YUBICO", FactorKind.Unsupported },
        { "token:hotp", "CUSTOM", FactorKind.Unsupported },
        { "u2f", "FIDO", FactorKind.Unsupported },
        { "webauthn", "FIDO", FactorKind.Unsupported },
        { "signed_nonce", "OKTA", FactorKind.Unsupported },
        { "web", "DUO", FactorKind.Unsupported },
        { "quantum:entangled", "OKTA", FactorKind.Unsupported },
        { "SMS", "okta", FactorKind.Unsupported },
    };

    [Theory]
    [MemberData(nameof(FactorKinds))]
    public async Task FactorKindFollowsTypeAndProviderExactly(string factorType, string provider, FactorKind kind)
    {
        var body = $$$"""[{"id":"f1","factorType":"{{{factorType}}}","provider":"{{{provider}}}","status":"ACTIVE","profile":{"phoneNumber":"+15554151337","name":"Pixel"}}]""";

        var result = await okta.ServeAsync(StubResponse.Json(200, body), c => c.ListFactorsAsync("00u1"));

        var factor = Assert.Single(Assert.IsType<OktaResult<IReadOnlyList<OktaFactor>>.Ok>(result).Value);
        Assert.Equal(kind, factor.Kind);
        Assert.Equal(kind is FactorKind.Sms or FactorKind.Call ? "+15554151337" : null, factor.PhoneNumber);
        Assert.Equal(kind is FactorKind.OktaVerifyPush ? "Pixel" : null, factor.DeviceName);
    }

    [Fact]
    public async Task UnknownStatusesAndFieldsParseIntoUnknown()
    {
        var user = """{"id":"00u1","status":"DORMANT","realm":{"x":1},"profile":{"login":"ada@example.com","zodiac":"leo"},"credentials":{"provider":{"type":"SOCIAL","name":"X"}}}""";
        var factors = """[{"id":"f1","factorType":"sms","provider":"OKTA","status":"QUARANTINED","vendorName":"OKTA","profile":{}}]""";

        var userResult = await okta.ServeAsync(StubResponse.Json(200, user), c => c.GetUserAsync("00u1"));
        var factorResult = await okta.ServeAsync(StubResponse.Json(200, factors), c => c.ListFactorsAsync("00u1"));

        Assert.Equal(new OktaUser("00u1", OktaUserStatus.Unknown, "ada@example.com", null, "SOCIAL", PasswordChanged: null), Assert.IsType<OktaResult<OktaUser>.Ok>(userResult).Value);
        Assert.Equal(OktaFactorStatus.Unknown, Assert.Single(Assert.IsType<OktaResult<IReadOnlyList<OktaFactor>>.Ok>(factorResult).Value).Status);
    }

    [Theory]
    [InlineData(",\"passwordChanged\":\"2026-11-02T09:00:00.123Z\"", "2026-11-02T09:00:00.123+00:00")]
    [InlineData(",\"passwordChanged\":\"2026-11-02T10:00:00.000+01:00\"", "2026-11-02T09:00:00.000+00:00")]
    [InlineData(",\"passwordChanged\":null", null)]
    [InlineData("", null)]
    public async Task PasswordChangedIsReadAsAnInstantAndMayBeAbsent(string field, string? expected)
    {
        var body = """{"id":"00u1","status":"ACTIVE"FIELD,"profile":{"login":"ada@example.com"}}""".Replace("FIELD", field, StringComparison.Ordinal);

        var result = await okta.ServeAsync(StubResponse.Json(200, body), c => c.GetUserAsync("00u1"));

        var user = Assert.IsType<OktaResult<OktaUser>.Ok>(result).Value;
        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), user.PasswordChanged);
    }

    [Fact]
    public async Task LastLoginAndStatusChangedAreReadAndTheNewestSuccessIsTheLatestOfTheThree()
    {
        var body = """{"id":"00u1","status":"ACTIVE","statusChanged":"2026-11-01T08:00:00.000Z","lastLogin":"2026-11-03T07:30:00.000Z","passwordChanged":"2026-11-02T09:00:00.000Z","profile":{"login":"ada@example.com"}}""";

        var user = Assert.IsType<OktaResult<OktaUser>.Ok>(await okta.ServeAsync(StubResponse.Json(200, body), c => c.GetUserAsync("00u1"))).Value;

        Assert.Equal(DateTimeOffset.Parse("2026-11-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture), user.StatusChanged);
        Assert.Equal(DateTimeOffset.Parse("2026-11-03T07:30:00Z", System.Globalization.CultureInfo.InvariantCulture), user.LastLogin);
        Assert.Equal(user.LastLogin, user.LastSuccessSeen);
    }

    [Fact]
    public async Task AUserWhoNeverSignedInShowsNoLastLogin()
    {
        var body = """{"id":"00u1","status":"ACTIVE","lastLogin":null,"profile":{"login":"ada@example.com"}}""";

        var user = Assert.IsType<OktaResult<OktaUser>.Ok>(await okta.ServeAsync(StubResponse.Json(200, body), c => c.GetUserAsync("00u1"))).Value;

        Assert.Null(user.LastLogin);
        Assert.Null(user.LastSuccessSeen);
    }

    [Theory]
    [InlineData("PASSCODE_REPLAYED", CodeReuse.Replayed)]
    [InlineData("TIME_WINDOW_EXCEEDED", CodeReuse.TimeWindowExceeded)]
    public async Task FactorResultOfARightCodeAtTheWrongTimeIsCodeReusedWithoutAnError(string factorResult, CodeReuse reason)
    {
        var result = await okta.ServeAsync(StubResponse.Json(200, $$"""{"factorResult":"{{factorResult}}"}"""), c => c.VerifyPasscodeAsync("00u1", "f1", "123456"));

        Assert.Equal(new FactorVerifyResult.CodeReused(reason, null), result);
    }

    [Theory]
    [InlineData("CANCELLED")]
    [InlineData("ERROR")]
    [InlineData("A_RESULT_ADDED_IN_2030")]
    public async Task FactorResultThePortalDoesNotActOnIsOther(string factorResult)
    {
        var result = await okta.ServeAsync(StubResponse.Json(200, $$"""{"factorResult":"{{factorResult}}"}"""), c => c.VerifyPasscodeAsync("00u1", "f1", "123456"));

        Assert.Equal(new FactorVerifyResult.Other(factorResult), result);
    }

    [Theory]
    [InlineData(null, CredentialsProvider.Okta)]
    [InlineData("OKTA", CredentialsProvider.Okta)]
    [InlineData("IMPORT", CredentialsProvider.Import)]
    [InlineData("ACTIVE_DIRECTORY", CredentialsProvider.ActiveDirectory)]
    [InlineData("LDAP", CredentialsProvider.Ldap)]
    [InlineData("FEDERATION", CredentialsProvider.Federation)]
    [InlineData("SOCIAL", CredentialsProvider.Social)]
    [InlineData("active_directory", CredentialsProvider.Unknown)]
    [InlineData("SCIM", CredentialsProvider.Unknown)]
    public async Task CredentialsProviderTypeIsClassifiedAndUnknownValuesStayUnknown(string? type, CredentialsProvider expected)
    {
        // No public example of an ACTIVE_DIRECTORY or LDAP user exists: these bodies follow the spec's
        // UserCredentials schema (provider.type enum, provider.name = the directory instance's name).
        var credentials = type is null ? "" : $$$""","credentials":{"provider":{"type":"{{{type}}}","name":"corp.example.com"}}""";
        var body = $$"""{"id":"00u1","status":"ACTIVE","profile":{"login":"ada@example.com"}{{credentials}}}""";

        var result = await okta.ServeAsync(StubResponse.Json(200, body), c => c.GetUserAsync("00u1"));

        Assert.Equal(expected, Assert.IsType<OktaResult<OktaUser>.Ok>(result).Value.Provider);
    }

    [Fact]
    public async Task CorrectAnswerSentAsTextIsStillRead()
    {
        var body = """{"factorResult":"WAITING","_links":{"poll":{"href":"{orgUrl}/api/v1/users/u/factors/f/transactions/t"}},"_embedded":{"challenge":{"correctAnswer":"72"}}}""";

        var result = await okta.ServeAsync(StubResponse.Json(201, body), c => c.PollPushAsync(PushPollHandle.Deserialize(okta.BaseUrl + "/api/v1/users/u/factors/f/transactions/t")));

        Assert.Equal(72, Assert.IsType<FactorVerifyResult.Waiting>(result).CorrectAnswer);
    }

    [Fact]
    public async Task PollAnswerWaitingWithoutALinkKeepsTheCurrentHandle()
    {
        var handle = PushPollHandle.Deserialize(okta.BaseUrl + "/api/v1/users/u/factors/f/transactions/t");

        var result = await okta.ServeAsync(StubResponse.Json(200, """{"factorResult":"WAITING"}"""), c => c.PollPushAsync(handle));

        Assert.Equal(new FactorVerifyResult.Waiting(handle, null, null), result);
    }

    public static TheoryData<string, int, string> UnusableBodies => new()
    {
        { "user without id", 200, """{"status":"ACTIVE","profile":{"login":"ada@example.com"}}""" },
        { "user without login", 200, """{"id":"00u1","status":"ACTIVE","profile":{}}""" },
        { "factor list with a factor without type", 200, """[{"id":"f1","provider":"OKTA","status":"ACTIVE"}]""" },
        { "factor list with a null entry", 200, """[null]""" },
        { "factor list that is an object", 200, """{"id":"f1"}""" },
        { "role list with a role without type", 200, """[{"id":"ra1","type":"SUPER_ADMIN"},{"id":"ra2","label":"Custom"}]""" },
        { "role list that is an object", 200, """{"type":"SUPER_ADMIN"}""" },
        { "push without poll link", 201, """{"factorResult":"WAITING","expiresAt":"2015-04-01T15:57:32.000Z"}""" },
        { "verify without result", 200, """{"profile":{}}""" },
        { "html from a proxy", 200, "<html><body>Welcome</body></html>" },
        { "empty body", 200, "" },
        { "truncated json", 200, """{"factorResult":"SUCC""" },
    };

    [Theory]
    [MemberData(nameof(UnusableBodies))]
    public async Task UnusableSuccessBodyFailsClosed(string description, int status, string body)
    {
        var response = new StubResponse(status, new Dictionary<string, string> { ["Content-Type"] = "application/json" }, body);
        object result = description switch
        {
            _ when description.StartsWith("user", StringComparison.Ordinal) => await okta.ServeAsync(response, c => c.GetUserAsync("00u1")),
            _ when description.StartsWith("factor list", StringComparison.Ordinal) => await okta.ServeAsync(response, c => c.ListFactorsAsync("00u1")),
            _ when description.StartsWith("role list", StringComparison.Ordinal) => await okta.ServeAsync(response, c => c.ListAssignedRolesAsync("00u1")),
            _ when description.StartsWith("push", StringComparison.Ordinal) => await okta.ServeAsync(
                response, c => c.SendPushAsync("00u1", "opf1", new PushRequestContext("203.0.113.9", "Mozilla/5.0", UseNumberMatching: false))),
            _ => await okta.ServeAsync(response, c => c.VerifyPasscodeAsync("00u1", "f1", "123456")),
        };

        Assert.Equal("Failed", ContractAssert.VariantOf(result));
        var error = ContractAssert.ErrorOf(result)!;
        Assert.Equal((status, null, null), (error.HttpStatus, error.ErrorCode, error.ErrorSummary));
    }

    [Fact]
    public async Task ErrorBodyThatIsNotOktasStillReportsTheStatus()
    {
        var response = new StubResponse(403, new Dictionary<string, string> { ["Content-Type"] = "text/html" }, "<html>Forbidden by WAF</html>");

        var result = await okta.ServeAsync(response, c => c.GetUserAsync("00u1"));

        var error = Assert.IsType<OktaResult<OktaUser>.Failed>(result).Error;
        Assert.Equal(new OktaError(403, null, null, null, error.ErrorCauses, null), error);
        Assert.Empty(error.ErrorCauses);
    }

    [Fact]
    public async Task RateLimitHeadersOnAnErrorAreParsed()
    {
        var headers = new Dictionary<string, string> { ["X-Rate-Limit-Limit"] = "1200", ["X-Rate-Limit-Remaining"] = "17", ["X-Rate-Limit-Reset"] = "1609459200" };
        var response = StubResponse.Json(404, """{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: x (User)","errorId":"oae1","errorCauses":[]}""", headers);

        var result = await okta.ServeAsync(response, c => c.GetUserAsync("x"));

        var error = Assert.IsType<OktaResult<OktaUser>.NotFound>(result).Error;
        Assert.Equal(new RateLimitInfo(1200, 17, DateTimeOffset.FromUnixTimeSeconds(1609459200)), error.RateLimit);
    }

    [Theory]
    [InlineData("abc", "12", "x")]
    [InlineData("-1", "", "99999999999999999999")]
    public async Task UnreadableRateLimitHeadersAreLeftOut(string limit, string remaining, string reset)
    {
        var headers = new Dictionary<string, string> { ["X-Rate-Limit-Limit"] = limit, ["X-Rate-Limit-Remaining"] = remaining, ["X-Rate-Limit-Reset"] = reset };
        var response = StubResponse.Json(403, """{"errorCode":"E0000006","errorSummary":"x","errorId":"oae1","errorCauses":[]}""", headers);

        var result = await okta.ServeAsync(response, c => c.GetUserAsync("x"));

        var rateLimit = Assert.IsType<OktaResult<OktaUser>.Failed>(result).Error.RateLimit;
        Assert.Equal(remaining == "12" ? new RateLimitInfo(null, 12, null) : null, rateLimit);
    }
}
