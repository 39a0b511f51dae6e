using System.Text.Json.Nodes;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>
/// The sandbox org's password policies and rules, as <c>GET /api/v1/policies?type=PASSWORD</c> and
/// <c>GET /api/v1/policies/{id}/rules</c> answer them (Identity Engine rules, spec shapes):
/// <list type="bullet">
/// <item>"Help desk resets" (priority 1, group <see cref="HelpDeskGroupId"/>): self-service reset and unlock denied.</item>
/// <item>"Default Policy" (priority 2, <c>system</c>, group <see cref="EveryoneGroupId"/>): the complexity of
/// <see cref="PasswordPolicy"/>; by default its rule lets SMS, voice, Okta Verify push, Google Authenticator codes (the spec's `otp` constraint) and email start recovery, no step-up, unlock allowed (<see cref="SandboxPolicyOptions"/>).</item>
/// </list>
/// </summary>
internal static class RecoveryPolicies
{
    public const string EveryoneGroupId = "00gsandboxeveryone01";

    public const string HelpDeskGroupId = "00gsandboxhelpdesk01";

    public const string DefaultPolicyId = "00psandboxdefault001";

    public const string HelpDeskPolicyId = "00psandboxhelpdesk01";

    public const string OfficeZoneId = "nzosandboxoffice0001";

    /// <summary><c>GET /api/v1/zones</c>: the org's one IP zone, "Office network", in the spec's <c>IPNetworkZone</c> shape.</summary>
    public static JsonArray Zones(string orgUrl, SandboxPolicyOptions settings) =>
    [
        new JsonObject
        {
            ["type"] = "IP",
            ["id"] = OfficeZoneId,
            ["name"] = "Office network",
            ["status"] = "ACTIVE",
            ["usage"] = "POLICY",
            ["created"] = "2026-01-05T08:00:00.000Z",
            ["lastUpdated"] = "2026-01-05T08:00:00.000Z",
            ["system"] = false,
            ["gateways"] = new JsonArray([.. settings.OfficeZoneGateways.Select(g => (JsonNode)new JsonObject { ["type"] = g.Contains('/', StringComparison.Ordinal) ? "CIDR" : "RANGE", ["value"] = g })]),
            ["proxies"] = null,
            ["_links"] = new JsonObject { ["self"] = new JsonObject { ["href"] = $"{orgUrl}/api/v1/zones/{OfficeZoneId}" } },
        },
    ];

    /// <summary>The groups and their names.</summary>
    public static readonly IReadOnlyDictionary<string, string> GroupNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [EveryoneGroupId] = "Everyone",
        [HelpDeskGroupId] = "Password resets by the help desk",
        [AdminGroups.HelpDeskAdminsGroupId] = "Help desk administrators",
    };

    /// <param name="orgUrl">The org's URL, for the links.</param>
    /// <param name="settings">The trainer's policy switches (minimum age, unlock, methods, network).</param>
    /// <param name="groupPolicy">Whether the org has the "Help desk resets" policy (<see cref="SandboxOptions.GroupPasswordPolicy"/>).</param>
    public static JsonArray Policies(string orgUrl, SandboxPolicyOptions settings, bool groupPolicy) => groupPolicy
        ?
        [
            Policy(orgUrl, HelpDeskPolicyId, "Help desk resets", 1, system: false, HelpDeskGroupId, minAgeMinutes: 0),
            Policy(orgUrl, DefaultPolicyId, "Default Policy", 2, system: true, EveryoneGroupId, settings.MinAgeMinutes),
        ]
        : [Policy(orgUrl, DefaultPolicyId, "Default Policy", 1, system: true, EveryoneGroupId, settings.MinAgeMinutes)];

    /// <summary>Null for a policy the org does not have.</summary>
    public static JsonArray? Rules(string orgUrl, string policyId, SandboxPolicyOptions settings, bool groupPolicy) => policyId switch
    {
        HelpDeskPolicyId when !groupPolicy => null,
        DefaultPolicyId => [Rule(orgUrl, policyId, "0prsandboxdefault001", "Default Rule", reset: true, unlock: settings.SelfServiceUnlock, settings)],
        HelpDeskPolicyId => [Rule(orgUrl, policyId, "0prsandboxhelpdesk01", "No self-service", reset: false, unlock: false, settings: null)],
        _ => null,
    };

    private static JsonObject Network(string setting) => setting switch
    {
        "INCLUDE" => new JsonObject { ["connection"] = "ZONE", ["include"] = new JsonArray(OfficeZoneId) },
        "EXCLUDE" => new JsonObject { ["connection"] = "ZONE", ["exclude"] = new JsonArray(OfficeZoneId) },
        _ => new JsonObject { ["connection"] = "ANYWHERE" },
    };

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];

    private static JsonObject Policy(string orgUrl, string id, string name, int priority, bool system, string groupId, int minAgeMinutes) => new()
    {
        ["type"] = "PASSWORD",
        ["id"] = id,
        ["status"] = "ACTIVE",
        ["name"] = name,
        ["description"] = name,
        ["priority"] = priority,
        ["system"] = system,
        ["created"] = "2026-01-05T08:00:00.000Z",
        ["lastUpdated"] = "2026-01-05T08:00:00.000Z",
        ["conditions"] = new JsonObject
        {
            ["people"] = new JsonObject { ["groups"] = new JsonObject { ["include"] = new JsonArray(groupId) } },
            ["authProvider"] = new JsonObject { ["provider"] = "ANY" },
        },
        ["settings"] = new JsonObject
        {
            ["password"] = new JsonObject
            {
                ["complexity"] = new JsonObject
                {
                    ["minLength"] = PasswordPolicy.MinimumLength,
                    ["minLowerCase"] = 1,
                    ["minUpperCase"] = 1,
                    ["minNumber"] = 1,
                    ["minSymbol"] = 0,
                    ["excludeUsername"] = true,
                    ["dictionary"] = new JsonObject { ["common"] = new JsonObject { ["exclude"] = false } },
                    ["excludeAttributes"] = new JsonArray(),
                },
                ["age"] = new JsonObject { ["maxAgeDays"] = 0, ["expireWarnDays"] = 0, ["minAgeMinutes"] = minAgeMinutes, ["historyCount"] = PasswordPolicy.HistoryCount },
                ["lockout"] = new JsonObject { ["maxAttempts"] = 10, ["autoUnlockMinutes"] = 0, ["showLockoutFailures"] = false },
            },
            ["recovery"] = new JsonObject
            {
                ["factors"] = new JsonObject
                {
                    ["recovery_question"] = new JsonObject { ["status"] = "INACTIVE" },
                    ["okta_email"] = new JsonObject { ["status"] = "INACTIVE" },
                    ["okta_sms"] = new JsonObject { ["status"] = "ACTIVE" },
                    ["okta_call"] = new JsonObject { ["status"] = "ACTIVE" },
                },
            },
            ["delegation"] = new JsonObject { ["options"] = new JsonObject { ["skipUnlock"] = false } },
        },
        ["_links"] = new JsonObject
        {
            ["self"] = new JsonObject { ["href"] = $"{orgUrl}/api/v1/policies/{id}" },
            ["rules"] = new JsonObject { ["href"] = $"{orgUrl}/api/v1/policies/{id}/rules" },
        },
    };

    private static JsonObject Rule(string orgUrl, string policyId, string id, string name, bool reset, bool unlock, SandboxPolicyOptions? settings)
    {
        var selfServiceReset = new JsonObject { ["access"] = reset ? "ALLOW" : "DENY" };
        if (reset && settings is not null)
        {
            var primary = new JsonObject { ["methods"] = Strings(settings.Methods) };
            if (settings.Methods.Contains("otp", StringComparer.Ordinal))
            {
                // The spec (SsprPrimaryRequirement): "Method otp requires a constraint limiting it to a Google authenticator".
                primary["methodConstraints"] = new JsonArray(new JsonObject
                {
                    ["method"] = "otp",
                    ["allowedAuthenticators"] = new JsonArray(new JsonObject { ["key"] = "google_otp" }),
                });
            }

            var stepUp = new JsonObject { ["required"] = settings.StepUpRequired };
            if (settings.StepUpRequired && settings.StepUpMethods.Length > 0)
            {
                stepUp["methods"] = Strings(settings.StepUpMethods);
            }

            selfServiceReset["requirement"] = new JsonObject
            {
                ["accessControl"] = settings.AccessControl,
                ["primary"] = primary,
                ["stepUp"] = stepUp,
            };
        }

        return new JsonObject
        {
            ["id"] = id,
            ["status"] = "ACTIVE",
            ["name"] = name,
            ["priority"] = 1,
            ["system"] = false,
            ["type"] = "PASSWORD",
            ["conditions"] = new JsonObject
            {
                ["people"] = new JsonObject { ["users"] = new JsonObject { ["exclude"] = new JsonArray() } },
                ["network"] = Network(settings?.RuleNetwork ?? "ANYWHERE"),
            },
            ["actions"] = new JsonObject
            {
                ["passwordChange"] = new JsonObject { ["access"] = "ALLOW" },
                ["selfServicePasswordReset"] = selfServiceReset,
                ["selfServiceUnlock"] = new JsonObject { ["access"] = unlock ? "ALLOW" : "DENY" },
            },
            ["_links"] = new JsonObject { ["self"] = new JsonObject { ["href"] = $"{orgUrl}/api/v1/policies/{policyId}/rules/{id}" } },
        };
    }
}
