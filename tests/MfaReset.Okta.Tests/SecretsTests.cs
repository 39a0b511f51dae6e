using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Okta.Tests.Stub;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests;

/// <summary>
/// Tokens, passwords, passcodes, phone numbers, poll links and Okta's errorSummary text never reach
/// the logs, and a candidate password Okta echoes never leaves the client (security.md items 6, 41, 64).
/// </summary>
public sealed class SecretsTests(ReplayContext okta) : IClassFixture<ReplayContext>
{
    private const string Password = "Tr0ub4dor&3-xyz";
    private const string Passcode = "914203";
    private const string Phone = "+1-555-415-1337";
    private const string Transaction = "v2mst.SecretTransactionId";

    private const string PushWaiting =
        """{"factorResult":"WAITING","_links":{"poll":{"href":"{orgUrl}/api/v1/users/00u1/factors/opf1/transactions/{transaction}"}},"_embedded":{"challenge":{"correctAnswer":72}}}""";

    [Fact]
    public async Task LogsOfAFullResetCarryNoSecretButDoNameEachCall()
    {
        await okta.ServeAsync(Json(200, """{"id":"00u1","status":"ACTIVE","profile":{"login":"ada@example.com"}}"""), c => c.GetUserAsync("ada@example.com"));
        await okta.ServeAsync(Json(200, $$$"""[{"id":"sms1","factorType":"sms","provider":"OKTA","status":"ACTIVE","profile":{"phoneNumber":"{{{Phone}}}"}}]"""), c => c.ListFactorsAsync("00u1"));
        await okta.ServeAsync(InvalidPasscode, c => c.VerifyPasscodeAsync("00u1", "sms1", Passcode));
        var push = await okta.ServeAsync(
            Json(201, PushWaiting.Replace("{transaction}", Transaction, StringComparison.Ordinal)),
            c => c.SendPushAsync("00u1", "opf1", new PushRequestContext("203.0.113.9", "Mozilla/5.0", UseNumberMatching: true)));
        await okta.ServeAsync(Json(200, """{"factorResult":"SUCCESS"}"""), c => c.PollPushAsync(Assert.IsType<FactorVerifyResult.Waiting>(push).Poll));
        await okta.ServeAsync(PasswordEcho, c => c.SetPasswordAsync("00u1", Password));

        var logs = okta.Logs.AllText();
        Assert.Multiple(
            () => Assert.DoesNotContain(ClientHost.ApiToken, logs, StringComparison.Ordinal),
            () => Assert.DoesNotContain("SSWS", logs, StringComparison.Ordinal),
            () => Assert.DoesNotContain(Password, logs, StringComparison.Ordinal),
            () => Assert.DoesNotContain(Passcode, logs, StringComparison.Ordinal),
            () => Assert.DoesNotContain(Phone, logs, StringComparison.Ordinal),
            () => Assert.DoesNotContain(Transaction, logs, StringComparison.Ordinal),
            () => Assert.DoesNotContain("/api/v1", logs, StringComparison.Ordinal),
            () => Assert.DoesNotContain("Invalid Passcode", logs, StringComparison.Ordinal),
            () => Assert.DoesNotContain("rejected value", logs, StringComparison.Ordinal));
        foreach (var expected in new[] { "getUser", "listFactors", "verifyFactor.passcode", "verifyFactor.push", "getFactorTransactionStatus", "updateUser.password", "E0000068", "oaeInvalid", "E0000001", "oaeEcho" })
        {
            Assert.Contains(expected, logs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EchoedPasswordIsHiddenInReasonsAndInTheError()
    {
        var result = await okta.ServeAsync(PasswordEcho, c => c.SetPasswordAsync("00u1", Password));

        var rejected = Assert.IsType<SetPasswordResult.Rejected>(result);
        Assert.Equal(["Password requirements: at least 16 characters.", "password: *** was found in a list of breached passwords."], rejected.Reasons);
        Assert.DoesNotContain(Password, rejected.Error.ErrorSummary, StringComparison.Ordinal);
        Assert.All(rejected.Error.ErrorCauses, c => Assert.DoesNotContain(Password, c.ErrorSummary, StringComparison.Ordinal));
        Assert.DoesNotContain(Password, rejected.ToString(), StringComparison.Ordinal);
        Assert.Equal("E0000001", rejected.Error.ErrorCode);
        Assert.Equal("LENGTH_MINIMUM", rejected.Error.ErrorCauses[0].Reason);
    }

    [Theory]
    [InlineData("pass]word-99A")]
    [InlineData("[x]Y7-qqqqqqqq")]
    public async Task PasswordWithBracketsLeavesNothingOfItselfInTheError(string password)
    {
        var body = $$"""{"errorCode":"E0000001","errorSummary":"Api validation failed: password: rejected value [{{password}}]; codes [password.minlength]","errorId":"oae1","errorCauses":[]}""";

        var result = await okta.ServeAsync(Json(400, body), c => c.SetPasswordAsync("00u1", password));

        var rejected = Assert.IsType<SetPasswordResult.Rejected>(result);
        Assert.Equal("Api validation failed: password: rejected value [***]; codes [password.minlength]", rejected.Error.ErrorSummary);
    }

    [Fact]
    public async Task RejectedValueOtherThanTheCandidateIsHiddenToo()
    {
        var body = """{"errorCode":"E0000001","errorSummary":"Api validation failed: rejected value [tr0ub4dor&3-xyz]","errorId":"oae1","errorCauses":[{"errorSummary":"password: rejected value [TR0UB4DOR] is too common"}]}""";

        var result = await okta.ServeAsync(Json(400, body), c => c.SetPasswordAsync("00u1", Password));

        var rejected = Assert.IsType<SetPasswordResult.Rejected>(result);
        Assert.Equal(["password: rejected value [***] is too common"], rejected.Reasons);
        Assert.Equal("Api validation failed: rejected value [***]", rejected.Error.ErrorSummary);
    }

    [Fact]
    public async Task PolicyRejectionWithoutCausesGivesAGenericReasonNotTheSummary()
    {
        var body = """{"errorCode":"E0000014","errorSummary":"The password does meet the complexity requirements: Tr0ub4dor","errorId":"oae1","errorCauses":[]}""";

        var result = await okta.ServeAsync(Json(403, body), c => c.SetPasswordAsync("00u1", Password));

        var reason = Assert.Single(Assert.IsType<SetPasswordResult.Rejected>(result).Reasons);
        Assert.Equal("The password does not meet the organization's password policy.", reason);
    }

    [Fact]
    public void ErrorToStringLeavesOutEverySummary()
    {
        var error = new OktaError(400, "E0000001", "rejected value [hunter2]", "oae1", [new OktaErrorCause("hunter2 is weak", "X", null, null, null)], null);

        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ErrorCauses[0].ToString(), StringComparison.Ordinal);
    }

    private static StubResponse InvalidPasscode => Json(
        403,
        """{"errorCode":"E0000068","errorSummary":"Invalid Passcode/Answer","errorLink":"E0000068","errorId":"oaeInvalid","errorCauses":[{"errorSummary":"Your passcode doesn't match our records. Please try again."}]}""");

    private static StubResponse PasswordEcho => Json(400, $$"""
        {"errorCode":"E0000001","errorSummary":"Api validation failed: Field error in object 'user' on field 'password': rejected value [{{Password}}]","errorLink":"E0000001","errorId":"oaeEcho",
         "errorCauses":[{"errorSummary":"Password requirements: at least 16 characters.","reason":"LENGTH_MINIMUM","location":"credentials.password.value","locationType":"body","domain":"user"},
                        {"errorSummary":"password: {{Password}} was found in a list of breached passwords."}]}
        """);

    private static StubResponse Json(int status, string body) => StubResponse.Json(status, body);
}
