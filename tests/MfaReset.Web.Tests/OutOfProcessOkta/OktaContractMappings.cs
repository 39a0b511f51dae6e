using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MfaReset.Testing;

namespace MfaReset.Web.Tests.OutOfProcessOkta;

/// <summary>How the push sent in a reset ends after its first WAITING poll.</summary>
public enum PushOutcome
{
    Success,
    Rejected,
    Timeout,
}

/// <summary>One WireMock mapping in WireMock's admin JSON format; <c>{orgUrl}</c> still in it.</summary>
/// <param name="FileName">The name it is exported under, from the fixture it came from.</param>
public sealed record GeneratedMapping(string FileName, JsonObject Json)
{
    /// <summary>The mapping as WireMock reads it, with <c>{orgUrl}</c> replaced by the server's own URL.</summary>
    public string ToJsonFor(string orgUrl) => Json.ToJsonString(OktaContractMappings.Indented).Replace("{orgUrl}", orgUrl, StringComparison.Ordinal);
}

/// <summary>
/// WireMock mappings for one whole reset, generated from <c>shared/okta-contract</c> at test time. The pack's
/// examples come from unrelated sources whose ids disagree (its README says so), so the generator makes them
/// one person: every user id becomes the id of <c>getUser/by-login</c>'s user, each listed factor takes the id
/// its type's <c>verifyFactor</c> fixtures use, the push polls take the transaction id of the push challenge's
/// poll link, <c>expiresAt</c> lies ahead (<see cref="LiveExpiry"/>), and the spec's placeholder policy and group ids name the policy and group served.
/// Bodies, statuses and headers are otherwise the fixtures' own.
/// </summary>
public static class OktaContractMappings
{
    /// <summary>The login the reset is driven with: <c>getUser/by-login</c>'s.</summary>
    public const string Login = "isaac.brock@example.com";

    /// <summary>A username Okta does not know: <c>getUser/not-found</c>'s.</summary>
    public const string UnknownLogin = "missing@example.com";

    /// <summary>The push scenario's name, for tests that move it on.</summary>
    public const string PushScenario = "push";

    /// <summary>
    /// The docs' <c>expiresAt</c> samples are from 2015: served as they are, every push would be over before its
    /// first poll. Far enough ahead that the portal's own push lifetime always ends it first.
    /// </summary>
    public const string LiveExpiry = "2099-01-01T00:00:00.000Z";

    internal static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    // Fixtures before faults: a test's own fault mappings take priority 1 and win.
    private const int VerifyWithCodePriority = 10;
    private const int VerifyWithOtherCodePriority = 20;
    private const int DefaultPriority = 30;

    // Which verifyFactor fixtures a listed factor type is challenged and verified with.
    private static readonly (string FactorType, string Challenge, string? Verify, string? WrongCode)[] VerifyFixtures =
    [
        ("sms", "sms-challenge.200", "sms-verify.200", "sms-verify-invalid-passcode.403"),
        ("call", "call-challenge.200", "call-verify.200", "call-verify-invalid-passcode.403"),
        ("email", "email-challenge.200", "email-verify.200", "email-verify-invalid-passcode.403"),
        ("token:software:totp", "totp-verify.200", null, "totp-verify-invalid-passcode.403"),
        ("push", "push-challenge.201", null, null),
    ];

    /// <summary>The mappings of one reset whose push ends as <paramref name="pushOutcome"/>, in a stable order.</summary>
    /// <param name="loginReadCarriesETag">
    /// Whether the read by login answers with the <c>ETag</c> the spec documents for every getUser 200 (the value of
    /// <c>getUser/by-id</c>, the one fixture that records it); <c>getUser/by-login</c> was captured without it, as
    /// from an org that sends none.
    /// </param>
    public static IReadOnlyList<GeneratedMapping> Generate(PushOutcome pushOutcome = PushOutcome.Success, bool loginReadCarriesETag = false)
    {
        var byLogin = Fixture("getUser/by-login.200");
        var userId = byLogin.Response["body"]!["id"]!.GetValue<string>();
        var factors = ListedFactors();
        var rewrites = Rewrites(userId, factors);

        List<GeneratedMapping> mappings =
        [
            Map("getUser/by-login.200", rewrites, addHeaders: loginReadCarriesETag ? new JsonObject { ["ETag"] = DocumentedETag } : null),
            Map("getUser/not-found.404", rewrites),
            Map("getUser/by-id.200", rewrites),
            FactorList(factors, rewrites),
            Map("listAssignedRolesForUser/regular-user.200", rewrites),
            Map("listUserGroups/list.200", rewrites),
            Map("listPolicies/password.200", rewrites, matchQuery: true),
            Map("listPolicyRules/password.200", rewrites),
            Map("updateUser/set-password.200", rewrites, body: AnyValue(new JsonObject { ["credentials"] = new JsonObject { ["password"] = new JsonObject { ["value"] = "*" } } })),
            Map("unlockUser/unlock.200", rewrites),
            Map("revokeUserSessions/revoke.204", rewrites),
        ];

        foreach (var (factorType, challenge, verify, wrongCode) in VerifyFixtures)
        {
            if (factorType == "push")
            {
                mappings.Add(Map($"verifyFactor/{challenge}", rewrites, scenario: (null, "waiting")));
                continue;
            }

            if (verify is not null)
            {
                var fixture = Fixture($"verifyFactor/{verify}");
                var passCode = fixture.Request!["body"]!["passCode"]!.GetValue<string>();
                mappings.Add(Map($"verifyFactor/{verify}", rewrites, body: Exact(passCode), priority: VerifyWithCodePriority));
                mappings.Add(Map($"verifyFactor/{challenge}", rewrites));
            }
            else
            {
                // A TOTP factor has no challenge: its right code is the fixture's own.
                var passCode = Fixture($"verifyFactor/{challenge}").Request!["body"]!["passCode"]!.GetValue<string>();
                mappings.Add(Map($"verifyFactor/{challenge}", rewrites, body: Exact(passCode), priority: VerifyWithCodePriority));
            }

            if (wrongCode is not null)
            {
                mappings.Add(Map($"verifyFactor/{wrongCode}", rewrites, body: AnyValue(new JsonObject { ["passCode"] = "*" }), priority: VerifyWithOtherCodePriority));
            }
        }

        var outcome = pushOutcome switch
        {
            PushOutcome.Rejected => "rejected.200",
            PushOutcome.Timeout => "timeout.200",
            _ => "success.200",
        };
        mappings.Add(Map("getFactorTransactionStatus/waiting.200", rewrites, scenario: ("waiting", "answered")));
        mappings.Add(Map($"getFactorTransactionStatus/{outcome}", rewrites, scenario: ("answered", null)));
        return mappings;
    }

    /// <summary>A fixture file as JSON, by its path under the pack without <c>.json</c>.</summary>
    private static FixtureFile Fixture(string name)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(SharedPaths.OktaContract, name + ".json")))!.AsObject();
        return new(name, root["request"]?.AsObject(), root["response"]!.AsObject());
    }

    /// <summary><c>listFactors/list</c>'s factors, plus the push and email factors of <c>getFactor</c> whose types it lacks.</summary>
    private static JsonArray ListedFactors()
    {
        var listed = Fixture("listFactors/list.200").Response["body"]!.AsArray().Select(f => f!.DeepClone()).ToList();
        foreach (var extra in new[] { "getFactor/push-active.200", "getFactor/email.200" })
        {
            var factor = Fixture(extra).Response["body"]!;
            if (!listed.Any(f => f!["factorType"]!.GetValue<string>() == factor["factorType"]!.GetValue<string>()))
            {
                listed.Add(factor.DeepClone());
            }
        }

        return [.. listed];
    }

    private static Dictionary<string, string> Rewrites(string userId, JsonArray factors)
    {
        var rewrites = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (factorType, challenge, _, _) in VerifyFixtures)
        {
            var path = Fixture($"verifyFactor/{challenge}").Request!["path"]!.GetValue<string>().Split('/');
            rewrites.TryAdd(path[4], userId);
            if (factors.FirstOrDefault(f => f!["factorType"]!.GetValue<string>() == factorType) is { } listed
                && listed["id"]!.GetValue<string>() is var listedId && listedId != path[6])
            {
                rewrites[listedId] = path[6];
            }
        }

        foreach (var name in new[] { "revokeUserSessions/revoke.204", "listFactors/list.200" })
        {
            rewrites.TryAdd(Fixture(name).Request!["path"]!.GetValue<string>().Split('/')[4], userId);
        }

        rewrites.Remove(userId);

        // The push challenge's poll link names the transaction; the poll examples use another id.
        var pollLink = Fixture("verifyFactor/push-challenge.201").Response["body"]!["_links"]!["poll"]!["href"]!.GetValue<string>();
        var pollPath = Fixture("getFactorTransactionStatus/waiting.200").Request!["path"]!.GetValue<string>();
        rewrites[pollPath.Split('/')[^1]] = pollLink.Split('/')[^1];

        // The spec's policy example has placeholder ids: it becomes the rules fixture's policy, applied to the person's group.
        var rulesPolicy = Fixture("listPolicyRules/password.200").Request!["path"]!.GetValue<string>().Split('/')[4];
        rewrites["policyId"] = rulesPolicy;
        rewrites["groupId"] = Fixture("listUserGroups/list.200").Response["body"]![0]!["id"]!.GetValue<string>();
        return rewrites;
    }

    private static GeneratedMapping FactorList(JsonArray factors, Dictionary<string, string> rewrites)
    {
        var mapping = Map("listFactors/list.200", rewrites);
        mapping.Json["Response"]!["BodyAsJson"] = Rewrite(factors, rewrites);
        mapping.Json["Title"] = "listFactors/list.200 with getFactor/push-active.200 and getFactor/email.200 (ids rewritten)";
        return mapping;
    }

    /// <summary>getUser's documented <c>ETag</c> (spec example, recorded in <c>getUser/by-id</c>).</summary>
    public static string DocumentedETag => Fixture("getUser/by-id.200").Response["headers"]!["ETag"]!.GetValue<string>();

    private static GeneratedMapping Map(
        string name,
        Dictionary<string, string> rewrites,
        bool matchQuery = false,
        JsonObject? body = null,
        int priority = DefaultPriority,
        (string? WhenStateIs, string? SetStateTo)? scenario = null,
        JsonObject? addHeaders = null)
    {
        var fixture = Fixture(name);
        var request = fixture.Request!;
        var path = RewriteText(request["path"]!.GetValue<string>(), rewrites);
        var requestModel = new JsonObject
        {
            ["Path"] = new JsonObject { ["Matchers"] = new JsonArray(new JsonObject { ["Name"] = "ExactMatcher", ["Pattern"] = Uri.UnescapeDataString(path) }) },
            ["Methods"] = new JsonArray(request["method"]!.GetValue<string>()),
        };
        if (matchQuery && request["query"] is JsonObject query && query.Count > 0)
        {
            requestModel["Params"] = new JsonArray([.. query.Select(p => (JsonNode)new JsonObject
            {
                ["Name"] = p.Key,
                ["Matchers"] = new JsonArray(new JsonObject { ["Name"] = "ExactMatcher", ["Pattern"] = p.Value!.GetValue<string>() }),
            })]);
        }

        if (body is not null)
        {
            requestModel["Body"] = new JsonObject { ["Matcher"] = body };
        }

        var response = fixture.Response;
        var responseModel = new JsonObject { ["StatusCode"] = response["status"]!.GetValue<int>() };
        if (response["headers"] is JsonObject headers && headers.Count > 0)
        {
            responseModel["Headers"] = Rewrite(headers, rewrites);
        }

        foreach (var (header, value) in addHeaders ?? [])
        {
            responseModel["Headers"]![header] = value!.DeepClone();
        }

        if (response["body"] is { } responseBody)
        {
            responseModel["BodyAsJson"] = Rewrite(responseBody, rewrites);
        }

        var mapping = new JsonObject
        {
            ["Guid"] = StableGuid(name).ToString(),
            ["Title"] = name,
            ["Priority"] = priority,
        };
        if (scenario is var (whenStateIs, setStateTo))
        {
            mapping["Scenario"] = PushScenario;
            if (whenStateIs is not null)
            {
                mapping["WhenStateIs"] = whenStateIs;
            }

            if (setStateTo is not null)
            {
                mapping["SetStateTo"] = setStateTo;
            }
        }

        mapping["Request"] = requestModel;
        mapping["Response"] = responseModel;
        return new GeneratedMapping(name.Replace('/', '.') + ".json", mapping);
    }

    private static JsonObject Exact(string passCode) => new()
    {
        ["Name"] = "JsonPartialMatcher",
        ["Pattern"] = new JsonObject { ["passCode"] = passCode },
    };

    /// <summary>A body holding these fields with any value (<c>*</c>).</summary>
    private static JsonObject AnyValue(JsonObject pattern) => new() { ["Name"] = "JsonPartialWildcardMatcher", ["Pattern"] = pattern };

    private static JsonNode Rewrite(JsonNode node, Dictionary<string, string> rewrites) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, p.Key == "expiresAt" ? JsonValue.Create(LiveExpiry)
            : p.Value is null ? null : Rewrite(p.Value, rewrites)))),
        JsonArray a => new JsonArray([.. a.Select(e => e is null ? null : Rewrite(e, rewrites))]),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(RewriteText(v.GetValue<string>(), rewrites)),
        _ => node.DeepClone(),
    };

    private static string RewriteText(string text, Dictionary<string, string> rewrites) =>
        rewrites.Aggregate(text, (current, rewrite) => rewrite.Key is "policyId" or "groupId"
            ? (current == rewrite.Key ? rewrite.Value : current)
            : current.Replace(rewrite.Key, rewrite.Value, StringComparison.Ordinal));

    // The same fixture always gets the same mapping id, so exported files do not change from run to run.
    private static Guid StableGuid(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));

    private sealed record FixtureFile(string Name, JsonObject? Request, JsonObject Response);
}
