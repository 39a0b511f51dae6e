using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MfaReset.Web.Reset.Policy;

namespace MfaReset.Web.Storage.PostgreSql;

/// <summary>
/// A stored password rule is one string: <c>"MinLength:12"</c> (its kind and number), or a configured rule's text.
/// A string of any other shape is read as a configured line: rows written before rules were data held the
/// checklist's English sentences, and during a rolling deploy they are still shown (Okta checks them on submit)
/// instead of making the flow unreadable.
/// </summary>
internal sealed class PasswordRuleJsonConverter : JsonConverter<PasswordRule>
{
    public override PasswordRule Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var held = reader.GetString() ?? throw new JsonException("A password rule is a string.");
        var colon = held.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && Enum.TryParse<PasswordRuleKind>(held.AsSpan(0, colon), ignoreCase: false, out var kind)
            && kind != PasswordRuleKind.Configured
            && int.TryParse(held.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                ? new PasswordRule(kind, count)
                : PasswordRule.Configured(held);
    }

    public override void Write(Utf8JsonWriter writer, PasswordRule value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.Kind == PasswordRuleKind.Configured
            ? value.Text
            : string.Create(CultureInfo.InvariantCulture, $"{value.Kind}:{value.Count}"));
    }
}
