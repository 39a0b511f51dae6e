using System.Text;
using System.Text.Json;
using CsCheck;
using MfaReset.Okta.Tests.Stub;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests;

/// <summary>
/// Generated Okta answers (fields missing, wrong types, huge numbers, unknown enums, hostile ids and links,
/// odd statuses and rate-limit headers) through the real client over loopback: every call ends in a typed
/// result, never an exception. CI tries <see cref="CiIterations"/> answers; see <see cref="FuzzRuns"/>.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class OktaAnswerFuzzTests : IAsyncLifetime
{
    private const long CiIterations = 400;

    private static readonly Gen<string> Scalar = Gen.OneOf<string>(
        Gen.String[0, 40].Select(s => JsonSerializer.Serialize(s)),
        Gen.Char.Array[0, 20].Select(c => JsonSerializer.Serialize(new string(c))),
        Gen.OneOf("\"ACTIVE\"", "\"LOCKED_OUT\"", "\"WAITING\"", "\"SUCCESS\"", "\"REJECTED\"", "\"CHALLENGE\"", "\"TIMEOUT\"", "\"QUANTUM\"", "\"\"",
            "\"..\"", "\".\"", "\"00u1/../admin\"", "\"sms\"", "\"push\"", "\"OKTA\"", "\"GOOGLE\"", "\"token:software:totp\""),
        Gen.OneOf("\"9999-12-31T23:59:59.000Z\"", "\"0001-01-01T00:00:00.000Z\"", "\"2026-11-22T10:00:00.000Z\"", "\"not a date\""),
        Gen.OneOf("\"{orgUrl}/api/v1/users/00u1/factors/opf1/transactions/v2mst1\"", "\"https://evil.example/api/v1/users/00u1/factors/opf1/transactions/x\"",
            "\"{orgUrl}/api/v1/users/../factors/opf1/transactions/x\"", "\"javascript:alert(1)\""),
        Gen.OneOf("0", "-1", "42", "2147483648", "99999999999999999999999", "1e400", "-1e400", "0.5", "true", "false", "null"),
        Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static Gen<string> Value(int depth) => depth <= 0
        ? Scalar
        : Gen.Frequency<string>(
            (6, Scalar),
            (1, Scalar.Array[0, 3].Select(items => "[" + string.Join(',', items) + "]")),
            (1, Gen.OneOf("{}", "{\"x\":1}", "[]")));

    private static Gen<string> Obj(params (string Name, Gen<string> Value)[] fields) =>
        Gen.Select(Gen.Bool.Array[fields.Length], Gen.Int[0, 1000], (present, seed) => (present, seed))
            .SelectMany(t => Gen.Select(fields.Select(f => f.Value).ToArray().Aggregate(
                    Gen.Const(new List<string>()),
                    (acc, g) => Gen.Select(acc, g, (list, v) => new List<string>(list) { v })),
                values => "{" + string.Join(',', fields.Select((f, i) => (f, i)).Where(x => t.present[x.i]).Select(x => $"\"{x.f.Name}\":{values[x.i]}")) + "}"));

    private static readonly Gen<string> User = Obj(
        ("id", Value(1)), ("status", Value(1)), ("passwordChanged", Value(1)),
        ("profile", Gen.OneOf(Obj(("login", Value(1)), ("email", Value(1)), ("firstName", Value(1)), ("lastName", Value(1))), Value(1))),
        ("credentials", Gen.OneOf(Obj(("provider", Gen.OneOf(Obj(("type", Value(1))), Value(1)))), Value(1))));

    private static readonly Gen<string> Factor = Obj(
        ("id", Value(1)), ("factorType", Value(1)), ("provider", Value(1)), ("status", Value(1)),
        ("profile", Gen.OneOf(Obj(("phoneNumber", Value(1)), ("name", Value(1))), Value(1))));

    private static readonly Gen<string> Verify = Obj(
        ("factorResult", Value(1)), ("expiresAt", Value(1)),
        ("_links", Gen.OneOf(Obj(("poll", Gen.OneOf(Obj(("href", Value(1))), Value(1)))), Value(1))),
        ("_embedded", Gen.OneOf(Obj(("challenge", Gen.OneOf(Obj(("correctAnswer", Value(1))), Value(1)))), Value(1))));

    private static readonly Gen<string> Error = Obj(
        ("errorCode", Value(1)), ("errorSummary", Value(1)), ("errorId", Value(1)),
        ("errorCauses", Gen.OneOf(Obj(("errorSummary", Value(1))).Array[0, 3].Select(c => "[" + string.Join(',', c) + "]"), Value(1))));

    private static readonly Gen<string> Body = Gen.Frequency<string>(
        (3, User), (3, Factor.Array[0, 4].Select(f => "[" + string.Join(',', f) + "]")), (3, Verify), (2, Error), (1, Value(1)),
        (1, Gen.OneOf("", "{", "null", "[null]", "{\"id\":\"00u1\"", "<html>")));

    private static readonly Gen<int> Status = Gen.Frequency<int>((6, Gen.Const(200)), (1, Gen.OneOf(201, 204, 302, 400, 401, 403, 404, 409, 429, 500, 502, 503, 599)));

    private static readonly Gen<Dictionary<string, string>> Headers = Gen.Select(
        Gen.OneOf("", "600", "0", "-1", "x", "99999999999999999999"),
        Gen.OneOf("", "599", "0", "-5", "1.5"),
        Gen.OneOf("", "1609459200", "253402300799", "0", "-1", "soon", "99999999999999999999"),
        (limit, remaining, reset) =>
        {
            var headers = new Dictionary<string, string>();
            if (limit.Length > 0) headers["X-Rate-Limit-Limit"] = limit;
            if (remaining.Length > 0) headers["X-Rate-Limit-Remaining"] = remaining;
            if (reset.Length > 0) headers["X-Rate-Limit-Reset"] = reset;
            return headers;
        });

    private static readonly Gen<int> Call = Gen.Int[0, 6];

    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private OktaStub _stub = default!;
    private ClientHost _host = default!;

    public async ValueTask InitializeAsync()
    {
        _stub = await OktaStub.StartAsync(_clock);
        // One attempt per call and no breaker pauses: every generated answer is read by the client.
        _host = ClientHost.Create(_stub.OrgUrl, _clock, settings: new Dictionary<string, string?> { ["Okta:MaxRetries"] = "0", ["Okta:CircuitBreakerFailures"] = "100" });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _stub.DisposeAsync();
    }

    [Fact]
    public async Task EveryGeneratedAnswerEndsInATypedResult()
    {
        var tried = 0;
        await Gen.Select(Status, Body, Headers, Call).SampleAsync(
            async (status, body, headers, call) =>
            {
                Interlocked.Increment(ref tried);
                _stub.Serve(new StubResponse(status, new Dictionary<string, string>(headers) { ["Content-Type"] = "application/json" }, body));
                object result = call switch
                {
                    0 => await _host.Client.GetUserAsync("ada@example.com"),
                    1 => await _host.Client.ListFactorsAsync("00u1"),
                    2 => await _host.Client.VerifyPasscodeAsync("00u1", "tot1", "123456"),
                    3 => await _host.Client.ChallengeAsync("00u1", "sms1"),
                    4 => await _host.Client.SendPushAsync("00u1", "opf1", new PushRequestContext("203.0.113.7", "Mozilla/5.0", UseNumberMatching: true)),
                    5 => await _host.Client.PollPushAsync(PushPollHandle.Deserialize($"{_stub.BaseUrl}/api/v1/users/00u1/factors/opf1/transactions/v2mst1")),
                    _ => await _host.Client.SetPasswordAsync("00u1", "Correct-Horse-42"),
                };
                Assert.NotNull(result);
                Assert.True(result is OktaResult<OktaUser> or OktaResult<IReadOnlyList<OktaFactor>> or FactorVerifyResult or SetPasswordResult);
                if (result is OktaResult<OktaUser>.Ok { Value: var user })
                {
                    Assert.Matches("^[A-Za-z0-9][A-Za-z0-9._-]*$", user.Id);
                }
            },
            seed: FuzzRuns.Seed,
            iter: FuzzRuns.Iterations(CiIterations),
            threads: 1);

        Console.WriteLine($"Okta answer fuzz: {tried} answers tried (shrinking included), no exception.");
    }
}
