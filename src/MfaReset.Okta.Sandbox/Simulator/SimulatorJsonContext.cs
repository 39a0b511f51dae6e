using System.Text.Json;
using System.Text.Json.Serialization;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Simulator;

/// <summary>JSON of the control endpoints under <c>/simulator/api/</c>: camelCase names and enum values.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters =
    [
        typeof(CamelCaseEnumConverter<SandboxFactorKind>),
        typeof(CamelCaseEnumConverter<PhoneChannel>),
        typeof(CamelCaseEnumConverter<PushAnswerOutcome>),
        typeof(CamelCaseEnumConverter<ScriptedPushOutcome>),
        typeof(CamelCaseEnumConverter<ScriptedCallFault>),
    ])]
[JsonSerializable(typeof(IReadOnlyList<SandboxUserInfo>))]
[JsonSerializable(typeof(SandboxUserInfo))]
[JsonSerializable(typeof(IReadOnlyList<PhoneMessage>))]
[JsonSerializable(typeof(IReadOnlyList<TotpCode>))]
[JsonSerializable(typeof(IReadOnlyList<PendingPush>))]
[JsonSerializable(typeof(CallCounts))]
[JsonSerializable(typeof(PushAnswerRequest))]
[JsonSerializable(typeof(PushAnswerResponse))]
[JsonSerializable(typeof(NextPushRequest))]
[JsonSerializable(typeof(NextCallRequest))]
[JsonSerializable(typeof(ControlError))]
[JsonSerializable(typeof(ResetsResponse))]
[JsonSerializable(typeof(PortalFactorKindsRequest))]
internal sealed partial class SimulatorJsonContext : JsonSerializerContext;

/// <summary>Enum values as camelCase strings (<c>tooManyRequests</c>).</summary>
internal sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;

/// <summary>Body of <c>POST /simulator/api/pushes/{id}/approve</c>; <c>pickedNumber</c> is needed with number matching.</summary>
internal sealed record PushAnswerRequest(int? PickedNumber);

/// <summary>What answering did.</summary>
internal sealed record PushAnswerResponse(PushAnswerOutcome Outcome);

/// <summary>Body of <c>PUT /simulator/api/users/{login}/next-push</c>.</summary>
internal sealed record NextPushRequest(ScriptedPushOutcome Outcome);

/// <summary>Body of <c>PUT /simulator/api/users/{login}/next-call</c>.</summary>
internal sealed record NextCallRequest(ScriptedCallFault Fault);

/// <summary>A control-endpoint error.</summary>
internal sealed record ControlError(string Error);

/// <summary>Answer of <c>GET /simulator/api/resets?after=n</c>: the number of resets so far.</summary>
internal sealed record ResetsResponse(long Resets);

/// <summary>Body of <c>PUT /simulator/api/portal/factor-kinds</c>: the methods a portal on the standalone sandbox offers.</summary>
internal sealed record PortalFactorKindsRequest(IReadOnlyList<string> FactorKinds);
