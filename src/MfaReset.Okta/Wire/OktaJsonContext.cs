using System.Text.Json.Serialization;

namespace MfaReset.Okta.Wire;

/// <summary>Source-generated serialization for every wire record; unknown members are skipped.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(UserWire))]
[JsonSerializable(typeof(IReadOnlyList<RoleWire>))]
[JsonSerializable(typeof(IReadOnlyList<FactorWire>))]
[JsonSerializable(typeof(IReadOnlyList<GroupWire>))]
[JsonSerializable(typeof(RoleAssignedUsersWire))]
[JsonSerializable(typeof(IReadOnlyList<IdWire>))]
[JsonSerializable(typeof(IReadOnlyList<PolicyWire>))]
[JsonSerializable(typeof(IReadOnlyList<PolicyRuleWire>))]
[JsonSerializable(typeof(IReadOnlyList<NetworkZoneWire>))]
[JsonSerializable(typeof(VerifyResultWire))]
[JsonSerializable(typeof(ErrorWire))]
[JsonSerializable(typeof(PasscodeRequestWire))]
[JsonSerializable(typeof(PushRequestWire))]
[JsonSerializable(typeof(SetPasswordRequestWire))]
internal sealed partial class OktaJsonContext : JsonSerializerContext;
