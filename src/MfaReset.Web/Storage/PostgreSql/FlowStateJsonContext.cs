using System.Text.Json;
using System.Text.Json.Serialization;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Storage.PostgreSql;

/// <summary>
/// How <see cref="FlowState"/> is stored. Unknown properties are ignored and missing optional ones take
/// their defaults, so adding an optional field needs no migration and instances of two versions can
/// share the store during a rolling deploy. (A new <c>required</c> field would make older rows
/// unreadable: give new fields defaults instead.) Enums are stored by name, so reordering one is safe.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(PasswordRuleJsonConverter)])]
[JsonSerializable(typeof(FlowState))]
internal sealed partial class FlowStateJsonContext : JsonSerializerContext;
