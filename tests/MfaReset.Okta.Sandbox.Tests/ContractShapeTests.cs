using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Tests;

/// <summary>
/// The sandbox answers the portal's calls with the statuses, fields, constants and link forms of Okta's
/// documented examples in shared/okta-contract (ids, dates and codes are the sandbox's own).
/// </summary>
public sealed class ContractShapeTests
{
    // Profile attributes of the spec's full user example that the sandbox's users do not carry.
    private static readonly string[] ProfileExtras =
    [
        "profile.nickName", "profile.profileUrl", "profile.preferredLanguage", "profile.userType",
        "profile.organization", "profile.title", "profile.division", "profile.department", "profile.costCenter",
        "profile.employeeNumber", "profile.primaryPhone", "profile.streetAddress", "profile.city", "profile.state",
        "profile.zipCode", "profile.countryCode",
    ];

    [Fact]
    public async Task GetUserByLoginMatchesTheFixture()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{Uri.EscapeDataString(Demo.Sam)}", TestContext.Current.CancellationToken);

        await OktaFixture.Load("getUser/by-login.200.json").AssertMatchesAsync(response);
    }

    [Fact]
    public async Task GetUserByIdMatchesTheFixture()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}", TestContext.Current.CancellationToken);

        await OktaFixture.Load("getUser/by-id.200.json").AssertMatchesAsync(response, ProfileExtras);
    }

    // Issue 22 item 13: the user answer in Okta's full shape, so SDKs that map every property (Okta's Node SDK among
    // them, not available here) find none missing. The spec's listUsers example: type {id}, null profile fields
    // written as null, credentials.emails with the verified primary email.
    [Fact]
    public async Task GetUserHasTheTypeNullProfileFieldsAndEmailsOfTheListUsersExample()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var lou = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Lou)}", TestContext.Current.CancellationToken);
        using var pat = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Pat)}", TestContext.Current.CancellationToken);

        // Lou's password is Okta's own (the example's user was imported); that part is the by-id fixture's test.
        await OktaFixture.Load("getUser/status-locked-out-import.200.json").AssertMatchesAsync(lou, "credentials.provider");
        var profile = (await TestSandbox.JsonAsync(pat)).GetProperty("profile");
        Assert.Equal(JsonValueKind.Null, profile.GetProperty("mobilePhone").ValueKind);
        Assert.Equal(JsonValueKind.Null, profile.GetProperty("secondEmail").ValueKind);
    }

    // The createUser example of a federated user: operation links carry "method": "POST".
    [Fact]
    public async Task GetUserOfAFederatedUserMatchesTheFixtureLinksWithTheirMethods()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Fred)}", TestContext.Current.CancellationToken);

        await OktaFixture.Load("getUser/provider-federation.200.json").AssertMatchesAsync(response);
    }

    // The createUser example of a user created without credentials: STAGED, never activated nor signed in (null), and
    // an activate link.
    [Fact]
    public async Task GetUserOfAStagedUserMatchesTheFixtureWithNullActivationAndLastLogin()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Stan)}", TestContext.Current.CancellationToken);

        var user = await OktaFixture.Load("getUser/status-staged.200.json").AssertMatchesAsync(response);
        Assert.Equal(JsonValueKind.Null, user.GetProperty("activated").ValueKind);
        Assert.Equal(JsonValueKind.Null, user.GetProperty("lastLogin").ValueKind);
    }

    // The spec's full user example (#/components/examples/APIDevicesListAllUsersResponse, the only one with every link):
    // _links.schema and _links.type point at the user's schema and type, and only self, schema and type lack a method.
    [Fact]
    public async Task GetUserLinksTheSchemaAndTypeAndGivesEveryOperationItsMethod()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}", TestContext.Current.CancellationToken);

        var user = await TestSandbox.JsonAsync(response);
        var links = user.GetProperty("_links");
        var typeId = user.GetProperty("type").GetProperty("id").GetString();
        Assert.Matches("^oty[0-9A-Za-z]{17}$", typeId);
        Assert.Equal($"{sandbox.OrgUrl}/api/v1/meta/types/user/{typeId}", links.GetProperty("type").GetProperty("href").GetString());
        Assert.Matches($"^{Regex.Escape(sandbox.OrgUrl)}/api/v1/meta/schemas/user/osc[0-9A-Za-z]{{17}}$", links.GetProperty("schema").GetProperty("href").GetString());
        foreach (var link in links.EnumerateObject())
        {
            var hasMethod = link.Value.TryGetProperty("method", out var method);
            Assert.True(hasMethod != (link.Name is "self" or "schema" or "type"), $"_links.{link.Name}: method {(hasMethod ? method.GetString() : "missing")}");
            Assert.True(!hasMethod || method.GetString() == "POST", $"_links.{link.Name}: method {method}");
        }
    }

    [Theory]
    [InlineData("getUser/not-found.404.json")]
    [InlineData("errors/E0000007-user-not-found.404.json")]
    public async Task UnknownUserMatchesTheFixtureWordForWord(string fixture)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync("api/v1/users/missing%40example.com", TestContext.Current.CancellationToken);

        var expected = OktaFixture.Load(fixture);
        var body = await expected.AssertMatchesAsync(response);
        Assert.Equal(expected.Body.GetProperty("errorSummary").GetString(), body.GetProperty("errorSummary").GetString());
    }

    [Fact]
    public async Task ListFactorsMatchesTheActiveFactorsOfTheFixture()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var fixture = OktaFixture.Load("listFactors/list.200.json");

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Max)}/factors", TestContext.Current.CancellationToken);

        Assert.Equal(fixture.Status, (int)response.StatusCode);
        var factors = (await TestSandbox.JsonAsync(response)).EnumerateArray().ToList();
        // The fixture's PENDING_ACTIVATION factor has no counterpart: the sandbox enrolls active factors only.
        var active = fixture.Body.EnumerateArray().Where(f => f.GetProperty("status").GetString() == "ACTIVE").ToList();
        Assert.Equal(2, active.Count);
        foreach (var expected in active)
        {
            var type = expected.GetProperty("factorType").GetString();
            fixture.AssertShape(expected, factors.First(f => f.GetProperty("factorType").GetString() == type));
        }
    }

    [Theory]
    [InlineData("getFactor/sms.200.json", Demo.Sam, SandboxFactorKind.Sms)]
    [InlineData("getFactor/push-active.200.json", Demo.Pat, SandboxFactorKind.OktaVerifyPush)]
    public async Task GetFactorMatchesTheFixture(string fixture, string login, SandboxFactorKind kind)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(login)}/factors/{sandbox.Factor(login, kind).Id}", TestContext.Current.CancellationToken);

        await OktaFixture.Load(fixture).AssertMatchesAsync(response);
    }

    [Theory]
    [InlineData("verifyFactor/sms-challenge.200.json", Demo.Sam, SandboxFactorKind.Sms)]
    [InlineData("verifyFactor/call-challenge.200.json", Demo.Max, SandboxFactorKind.Call)]
    public async Task ChallengeMatchesTheFixture(string fixture, string login, SandboxFactorKind kind)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.VerifyAsync(login, kind);

        await OktaFixture.Load(fixture).AssertMatchesAsync(response);
    }

    [Theory]
    [InlineData("verifyFactor/sms-challenge-too-soon.429.json", Demo.Sam, SandboxFactorKind.Sms)]
    [InlineData("verifyFactor/call-challenge-too-soon.429.json", Demo.Vera, SandboxFactorKind.Call)]
    [InlineData("errors/E0000109-sms-recently-sent.429.json", Demo.Sam, SandboxFactorKind.Sms)]
    [InlineData("errors/E0000047-call-challenge-too-soon.429.json", Demo.Vera, SandboxFactorKind.Call)]
    public async Task ResendTooSoonMatchesTheFixtureWordForWord(string fixture, string login, SandboxFactorKind kind)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.ChallengeAsync(login, kind);

        using var response = await sandbox.VerifyAsync(login, kind);

        await AssertSameErrorAsync(OktaFixture.Load(fixture), response);
    }

    [Theory]
    [InlineData("verifyFactor/sms-verify.200.json", Demo.Sam, SandboxFactorKind.Sms)]
    [InlineData("verifyFactor/call-verify.200.json", Demo.Vera, SandboxFactorKind.Call)]
    public async Task CodeVerifyMatchesTheFixture(string fixture, string login, SandboxFactorKind kind)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var code = await sandbox.ChallengeAsync(login, kind);

        using var response = await sandbox.SendPasscodeAsync(login, kind, code);

        await OktaFixture.Load(fixture).AssertMatchesAsync(response);
    }

    [Theory]
    [InlineData("verifyFactor/sms-verify-invalid-passcode.403.json", Demo.Sam, SandboxFactorKind.Sms)]
    [InlineData("verifyFactor/call-verify-invalid-passcode.403.json", Demo.Vera, SandboxFactorKind.Call)]
    [InlineData("verifyFactor/totp-verify-invalid-passcode.403.json", Demo.Tom, SandboxFactorKind.OktaVerifyTotp)]
    [InlineData("errors/E0000068-invalid-passcode.403.json", Demo.Gail, SandboxFactorKind.GoogleAuthenticator)]
    public async Task WrongCodeMatchesTheFixtureWordForWord(string fixture, string login, SandboxFactorKind kind)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var current = sandbox.Control.GetTotpCodes(login).Select(c => c.Code).Append(sandbox.Control.GetLatestMessage(login)?.Code);
        var wrong = new[] { "000000", "111111", "222222" }.First(c => !current.Contains(c));

        using var response = await sandbox.SendPasscodeAsync(login, kind, wrong);

        await AssertSameErrorAsync(OktaFixture.Load(fixture), response);
    }

    [Fact]
    public async Task TotpVerifyMatchesTheFixture()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.SendPasscodeAsync(Demo.Tom, SandboxFactorKind.OktaVerifyTotp, sandbox.Control.GetTotpCodes(Demo.Tom).Single().Code);

        await OktaFixture.Load("verifyFactor/totp-verify.200.json").AssertMatchesAsync(response);
    }

    [Theory]
    [InlineData("verifyFactor/question-verify.200.json", "Mona Lisa")]
    [InlineData("verifyFactor/question-verify-invalid-answer.403.json", "ketchup")]
    [InlineData("errors/E0000068-invalid-answer.403.json", "ketchup")]
    public async Task SecurityQuestionMatchesTheFixture(string fixture, string answer)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.VerifyAsync(Demo.Max, SandboxFactorKind.SecurityQuestion, new { answer });

        var expected = OktaFixture.Load(fixture);
        var body = await expected.AssertMatchesAsync(response);
        if (expected.Status == 403)
        {
            Assert.Equal(OktaFixture.Compact(expected.Body.GetProperty("errorCauses")), OktaFixture.Compact(body.GetProperty("errorCauses")));
        }
    }

    [Theory]
    [InlineData("verifyFactor/push-challenge.201.json", false)]
    [InlineData("verifyFactor/push-challenge-number-matching.201.json", true)]
    public async Task PushChallengeMatchesTheFixture(string fixture, bool numberMatching)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.VerifyAsync(Demo.Pat, SandboxFactorKind.OktaVerifyPush, numberMatching ? new { useNumberMatchingChallenge = true } : null, clientIp: "23.235.46.133");

        var body = await OktaFixture.Load(fixture).AssertMatchesAsync(response);
        Assert.Equal(numberMatching, body.TryGetProperty("_embedded", out _));
    }

    [Theory]
    [InlineData("getFactorTransactionStatus/waiting.200.json", false, null)]
    [InlineData("getFactorTransactionStatus/waiting-number-matching.200.json", true, null)]
    [InlineData("getFactorTransactionStatus/success.200.json", true, PushAnswerOutcome.Approved)]
    [InlineData("getFactorTransactionStatus/rejected.200.json", false, PushAnswerOutcome.Denied)]
    [InlineData("getFactorTransactionStatus/timeout.200.json", false, PushAnswerOutcome.NotPending)]
    public async Task PushPollMatchesTheFixture(string fixture, bool numberMatching, PushAnswerOutcome? answer)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var poll = await sandbox.SendPushAsync(Demo.Pat, numberMatching);
        var push = sandbox.Control.GetPendingPushes(Demo.Pat).Single();
        switch (answer)
        {
            case PushAnswerOutcome.Approved:
                sandbox.Control.ApprovePush(push.TransactionId, push.CorrectAnswer);
                break;
            case PushAnswerOutcome.Denied:
                sandbox.Control.DenyPush(push.TransactionId);
                break;
            case PushAnswerOutcome.NotPending:
                sandbox.Clock.Advance(TimeSpan.FromMinutes(5));
                break;
        }

        using var response = await sandbox.Http.GetAsync(new Uri(poll), TestContext.Current.CancellationToken);

        await OktaFixture.Load(fixture).AssertMatchesAsync(response);
    }

    [Fact]
    public async Task SetPasswordMatchesTheFixture()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.SetPasswordAsync(Demo.Sam, "uTVM,TPw55");

        var body = await OktaFixture.Load("updateUser/set-password.200.json").AssertMatchesAsync(response, ProfileExtras);
        Assert.Empty(body.GetProperty("credentials").GetProperty("password").EnumerateObject());
    }

    [Fact]
    public async Task PasswordPolicyFailureMatchesTheFieldLevelFixtureWithoutEchoingThePassword()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var fixture = OktaFixture.Load("errors/E0000001-password-requirements-field-errors.400.json");

        using var response = await sandbox.SetPasswordAsync(Demo.Sam, "aaaa");

        var body = await fixture.AssertMatchesAsync(response);
        Assert.Equal(OktaFixture.Compact(fixture.Body.GetProperty("errorCauses")), OktaFixture.Compact(body.GetProperty("errorCauses")));
        // Okta's own summary repeats the rejected value; the sandbox's never does.
        Assert.DoesNotContain("aaaa", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnlockMatchesTheFixture()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.PostAsync($"api/v1/users/{sandbox.UserId(Demo.Lou)}/lifecycle/unlock", content: null, cancellationToken: TestContext.Current.CancellationToken);

        var body = await OktaFixture.Load("unlockUser/unlock.200.json").AssertMatchesAsync(response);
        Assert.Empty(body.EnumerateObject());
    }

    [Fact]
    public async Task InvalidTokenMatchesTheFixtureWordForWord()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Anonymous.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);

        await AssertSameErrorAsync(OktaFixture.Load("errors/E0000011-invalid-token.401.json"), response);
    }

    [Fact]
    public async Task SuspendedUserVerifyMatchesTheInvalidStatusFixture()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.VerifyAsync(Demo.Sue, SandboxFactorKind.Sms);

        await AssertSameErrorAsync(OktaFixture.Load("errors/E0000038-invalid-user-status.403.json"), response);
    }

    [Fact]
    public async Task ExhaustedBucketMatchesTheRateLimitFixtureIncludingHeaders()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.RateLimits.UserWritesPerMinute = 1);
        var fixture = OktaFixture.Load("errors/E0000047-rate-limit.429.json");
        (await sandbox.SetPasswordAsync(Demo.Sam, Demo.GoodPassword)).Dispose();

        using var response = await sandbox.Http.PostAsJsonAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}?strict=true", new { credentials = new { password = new { value = "Another-Passw0rd" } } }, cancellationToken: TestContext.Current.CancellationToken);

        await AssertSameErrorAsync(fixture, response);
        Assert.Equal("0", ApiAccessTests.Header(response, "X-Rate-Limit-Remaining"));
        Assert.Equal("1", ApiAccessTests.Header(response, "X-Rate-Limit-Limit"));
    }

    private static async Task AssertSameErrorAsync(OktaFixture fixture, HttpResponseMessage response)
    {
        var body = await fixture.AssertMatchesAsync(response);
        Assert.Equal(fixture.Body.GetProperty("errorSummary").GetString(), body.GetProperty("errorSummary").GetString());
        Assert.Equal(OktaFixture.Compact(fixture.Body.GetProperty("errorCauses")), OktaFixture.Compact(body.GetProperty("errorCauses")));
    }
}
