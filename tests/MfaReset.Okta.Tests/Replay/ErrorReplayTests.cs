using System.Text.Json.Nodes;
using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Testing;
using static MfaReset.Okta.Tests.Fixtures.ContractAssert;

namespace MfaReset.Okta.Tests.Replay;

/// <summary>
/// Every documented error body, answered to every client call of the operations the file applies to
/// (all calls when it names none the client makes). The client must send its usual request and turn
/// the answer into the documented variant carrying the whole error as data.
/// </summary>
public sealed class ErrorReplayTests(ReplayContext context) : IClassFixture<ReplayContext>
{
    private const string UserId = "00u15s1KDETTQMQYABRL";

    /// <summary>The candidate password of the error replays: the value the documented E0000001 echoes.</summary>
    private const string EchoedPassword = "aaaa";

    private const string TransactionPath = $"/api/v1/users/{UserId}/factors/opfh52xcuft3J4uZc0g3/transactions/v2mst.GldKV5VxTrifyeZmWSQguA";

    private static readonly PushRequestContext Push = new("23.235.46.133", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", UseNumberMatching: true);

    private static readonly IReadOnlyList<ClientCall> Calls =
    [
        new("getUser", "getUser", (c, _) => Run(c.GetUserAsync("isaac.brock@example.com")),
            new("GET", "/api/v1/users/isaac.brock%40example.com", ExpectedRequest.NoQuery, null)),
        new("listFactors", "listFactors", (c, _) => Run(c.ListFactorsAsync(UserId)),
            new("GET", $"/api/v1/users/{UserId}/factors", ExpectedRequest.NoQuery, null)),
        new("challenge", "verifyFactor", (c, _) => Run(c.ChallengeAsync(UserId, "smsszf1YNUtGWTx4j0g3")),
            new("POST", $"/api/v1/users/{UserId}/factors/smsszf1YNUtGWTx4j0g3/verify", ExpectedRequest.NoQuery, null)),
        new("passcode", "verifyFactor", (c, _) => Run(c.VerifyPasscodeAsync(UserId, "smsszf1YNUtGWTx4j0g3", "123456")),
            new("POST", $"/api/v1/users/{UserId}/factors/smsszf1YNUtGWTx4j0g3/verify", ExpectedRequest.NoQuery, new JsonObject { ["passCode"] = "123456" })),
        new("push", "verifyFactor", (c, _) => Run(c.SendPushAsync(UserId, "opfh52xcuft3J4uZc0g3", Push)),
            new("POST", $"/api/v1/users/{UserId}/factors/opfh52xcuft3J4uZc0g3/verify", ExpectedRequest.NoQuery,
                new JsonObject { ["useNumberMatchingChallenge"] = true }, Push.UserAgent, Push.ClientIp)),
        new("poll", "getFactorTransactionStatus", (c, baseUrl) => Run(c.PollPushAsync(PushPollHandle.Deserialize(baseUrl + TransactionPath))),
            new("GET", TransactionPath, ExpectedRequest.NoQuery, null)),
        new("setPassword", "updateUser", (c, _) => Run(c.SetPasswordAsync("00ub0oNGTSWTBKOLGLNR", EchoedPassword)),
            new("POST", "/api/v1/users/00ub0oNGTSWTBKOLGLNR", new Dictionary<string, string> { ["strict"] = "true" },
                new JsonObject { ["credentials"] = new JsonObject { ["password"] = new JsonObject { ["value"] = EchoedPassword } } })),
        new("unlock", "unlockUser", (c, _) => Run(c.UnlockUserAsync("00ub0oNGTSWTBKOLGLNR")),
            new("POST", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/unlock", ExpectedRequest.NoQuery, null)),
        new("revokeSessions", "revokeUserSessions", (c, _) => Run(c.RevokeSessionsAsync("00ub0oNGTSWTBKOLGLNR", revokeOAuthTokens: true)),
            new("DELETE", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/sessions", new Dictionary<string, string> { ["oauthTokens"] = "true" }, null)),
    ];

    public static TheoryData<string, string> ErrorFixtures
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var file in ContractFixture.Files(FixtureCatalog.Errors))
            {
                foreach (var call in CallsFor(ContractFixture.Load(file)))
                {
                    data.Add(file, call.Name);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ErrorFixtures))]
    public async Task ErrorFixtureBecomesTheDocumentedVariantWithTheWholeError(string file, string callName)
    {
        var fixture = ContractFixture.Load(file);
        Assert.NotNull(fixture.ErrorCode);
        var call = Calls.Single(c => c.Name == callName);

        var result = await context.ReplayAsync(fixture, client => call.Invoke(client, context.BaseUrl));

        // Nothing is repeated: POSTs never are, and the documented resets lie far beyond the budget.
        RequestMatches(call.Request, context.Stub.SingleRequest());
        var isSetPassword = call.OperationId == "updateUser";
        Assert.Equal(ExpectedVariant(call, fixture.Response), VariantOf(result));
        ErrorMatches(fixture.Response, ErrorOf(result), hiddenPassword: isSetPassword ? EchoedPassword : null);
        if (result is SetPasswordResult.Rejected rejected)
        {
            ReasonsAreTheScrubbedCauses(fixture.Response, rejected.Reasons);
        }
    }

    private static IEnumerable<ClientCall> CallsFor(ContractFixture fixture)
    {
        var named = fixture.AppliesTo.Select(a => a.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        var calls = Calls.Where(c => named.Contains(c.OperationId)).ToArray();
        return calls.Length > 0 ? calls : Calls;
    }

    /// <summary>The documented meaning of an error status per kind of call (OktaResult.cs, issue 2).</summary>
    private static string ExpectedVariant(ClientCall call, FixtureResponse response) =>
        (call.OperationId, response.Status, Field(response.Body, "errorCode")) switch
        {
            ("updateUser", 400, "E0000001") or ("updateUser", 403, "E0000014" or "E0000080") => "Rejected",
            ("verifyFactor" or "getFactorTransactionStatus", 403, "E0000068") => "InvalidPasscode",
            ("verifyFactor" or "getFactorTransactionStatus", 403, "E0000082" or "E0000083") => "CodeReused",
            (_, 429, _) => "Throttled",
            ("getUser" or "listFactors" or "unlockUser" or "revokeUserSessions", 404, _) => "NotFound",
            _ => "Failed",
        };

    /// <summary>
    /// What the person is shown: each cause's summary with the password hidden, or one generic reason
    /// when Okta gave none; never the top-level errorSummary, which can echo the password.
    /// </summary>
    private static void ReasonsAreTheScrubbedCauses(FixtureResponse response, IReadOnlyList<string> reasons)
    {
        var causes = response.Body!["errorCauses"]!.AsArray().Select(c => Field(c, "errorSummary")!).ToArray();
        if (causes.Length > 0)
        {
            Assert.Equal(causes.Select(c => c.Replace(EchoedPassword, "***", StringComparison.Ordinal)), reasons);
        }
        else
        {
            var reason = Assert.Single(reasons);
            Assert.DoesNotContain(Field(response.Body, "errorSummary")!, reason, StringComparison.Ordinal);
        }

        Assert.All(reasons, r => Assert.DoesNotContain(EchoedPassword, r, StringComparison.Ordinal));
    }

    private static async Task<object> Run<T>(Task<T> call)
        where T : notnull => await call;

    /// <summary>One client method with a fixed input, and the request it must produce.</summary>
    private sealed record ClientCall(string Name, string OperationId, Func<IOktaClient, string, Task<object>> Invoke, ExpectedRequest Request);
}
