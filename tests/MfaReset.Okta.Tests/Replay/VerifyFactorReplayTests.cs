using System.Globalization;
using System.Text.Json.Nodes;
using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Testing;
using static MfaReset.Okta.Tests.Fixtures.ContractAssert;

namespace MfaReset.Okta.Tests.Replay;

/// <summary>
/// verifyFactor and getFactorTransactionStatus fixtures. The client call is chosen from the documented
/// request (a push carries X-Forwarded-For; a body with passCode or answer is a verification; no body is
/// a challenge), so each file says what it exercises.
/// </summary>
public sealed class VerifyFactorReplayTests(ReplayContext context) : IClassFixture<ReplayContext>
{
    /// <summary>
    /// Optional query parameters of the documented examples that the client omits: SMS localization is not
    /// offered, and <c>tokenLifetimeSeconds</c> is sent only on an email challenge (where Okta documents it;
    /// the docs repeat it on the email verify, which the client sends without it).
    /// </summary>
    private static readonly HashSet<string> OmittedQuery = new(StringComparer.Ordinal) { "tokenLifetimeSeconds", "templateId" };

    public static TheoryData<string> VerifyFixtures => FixtureCatalog.Of("verifyFactor");

    public static TheoryData<string> TransactionFixtures => FixtureCatalog.Of("getFactorTransactionStatus");

    [Theory]
    [MemberData(nameof(VerifyFixtures))]
    public async Task VerifyFixtureReplaysThroughTheMatchingClientCall(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        UnderstoodBy(request);
        Assert.Subset(OmittedQuery, request.Query.Keys.ToHashSet(StringComparer.Ordinal));
        var (userId, factorId) = (request.Segment(4), request.Segment(2));
        var body = request.Body as JsonObject;

        VerifyReplay replay = body switch
        {
            _ when request.Headers.TryGetValue("X-Forwarded-For", out var ip) => new(
                c => c.SendPushAsync(userId, factorId, new PushRequestContext(ip, request.Headers["User-Agent"], UseNumberMatching: body?["useNumberMatchingChallenge"] is not null)),
                Expected(request, body, endUserAgent: request.Headers["User-Agent"], forwardedFor: ip)),
            { } b when b["passCode"] is { } passCode => new(
                c => c.VerifyPasscodeAsync(userId, factorId, passCode.GetValue<string>()),
                Expected(request, body)),
            // Security-question answers (the portal offers no question factor) and WebAuthn/U2F verification (browser-signed
            // data the portal never has): the client has no call that sends them. The documented answers must still parse,
            // through the bodiless verify.
            { } b when b["answer"] is not null || b["clientData"] is not null => new(c => c.ChallengeAsync(userId, factorId), Expected(request, body: null)),
            // An email challenge carries the code's lifetime (the portal's code page lifetime).
            null when request.Query.TryGetValue("tokenLifetimeSeconds", out var lifetime) => new(
                c => c.ChallengeEmailAsync(userId, factorId, TimeSpan.FromSeconds(int.Parse(lifetime, CultureInfo.InvariantCulture))),
                new ExpectedRequest(request.Method, request.Path, request.Query, Body: null)),
            // The docs send a challenge with no body or with {}; Okta treats both alike, the client sends none.
            null or { Count: 0 } => new(c => c.ChallengeAsync(userId, factorId), Expected(request, body: null)),
            _ => throw new InvalidOperationException($"{file}: no client call sends this request; decide how the client handles it."),
        };

        var result = await context.ReplayAsync(fixture, replay.Call);

        RequestMatches(replay.Expected, context.Stub.SingleRequest());
        VerifyResultMatches(fixture.Response, result, context.BaseUrl);
    }

    [Theory]
    [MemberData(nameof(TransactionFixtures))]
    public async Task TransactionFixtureReplaysThroughThePollOfItsOwnLink(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        UnderstoodBy(request);
        var handle = PushPollHandle.Deserialize(context.BaseUrl + request.Path);

        var result = await context.ReplayAsync(fixture, client => client.PollPushAsync(handle));

        RequestMatches(new ExpectedRequest("GET", request.Path, request.Query, Body: null), context.Stub.SingleRequest());
        VerifyResultMatches(fixture.Response, result, context.BaseUrl);
    }

    private static ExpectedRequest Expected(FixtureRequest request, JsonNode? body, string? endUserAgent = null, string? forwardedFor = null) => new(
        request.Method,
        request.Path,
        request.Query.Where(q => !OmittedQuery.Contains(q.Key)).ToDictionary(),
        body,
        endUserAgent,
        forwardedFor);

    /// <summary>The documented meaning of a verify or poll answer (Okta's UserFactorVerifyResult, error codes).</summary>
    private static void VerifyResultMatches(FixtureResponse response, FactorVerifyResult actual, string baseUrl)
    {
        if (response.Status is not (200 or 201))
        {
            var expectedVariant = (response.Status, Field(response.Body, "errorCode")) switch
            {
                (403, "E0000068") => nameof(FactorVerifyResult.InvalidPasscode),
                (403, "E0000082" or "E0000083") => nameof(FactorVerifyResult.CodeReused),
                (429, _) => nameof(FactorVerifyResult.Throttled),
                _ => nameof(FactorVerifyResult.Failed),
            };
            Assert.Equal(expectedVariant, VariantOf(actual));
            ErrorMatches(response, ErrorOf(actual));
            return;
        }

        var body = response.BodyAt(baseUrl);
        var expiresAt = Field(body, "expiresAt") is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
        FactorVerifyResult expected = Field(body, "factorResult") switch
        {
            "CHALLENGE" => new FactorVerifyResult.ChallengeSent(expiresAt),
            "SUCCESS" => new FactorVerifyResult.Success(),
            "REJECTED" => new FactorVerifyResult.Rejected(),
            "TIMEOUT" => new FactorVerifyResult.TimedOut(),
            "WAITING" => new FactorVerifyResult.Waiting(
                PushPollHandle.Deserialize(Field(body, "_links.poll.href")!),
                body?["_embedded"]?["challenge"]?["correctAnswer"]?.GetValue<int>(),
                expiresAt),
            "PASSCODE_REPLAYED" => new FactorVerifyResult.CodeReused(CodeReuse.Replayed, null),
            "TIME_WINDOW_EXCEEDED" => new FactorVerifyResult.CodeReused(CodeReuse.TimeWindowExceeded, null),
            var other => new FactorVerifyResult.Other(other!),
        };
        Assert.Equal(expected, actual);
    }

    private sealed record VerifyReplay(Func<IOktaClient, Task<FactorVerifyResult>> Call, ExpectedRequest Expected);
}
