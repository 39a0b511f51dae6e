using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MfaReset.Okta.Sandbox.Wire;

/// <summary>Source-generated JSON for the Okta wire: camelCase, nulls omitted, Okta's date format.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(OktaDateConverter)])]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(MfaReset.Okta.Sandbox.OAuth.TokenBody))]
[JsonSerializable(typeof(MfaReset.Okta.Sandbox.OAuth.OAuthErrorBody))]
[JsonSerializable(typeof(UserBody))]
[JsonSerializable(typeof(IReadOnlyList<UserBody>))]
[JsonSerializable(typeof(FactorBody))]
[JsonSerializable(typeof(IReadOnlyList<FactorBody>))]
[JsonSerializable(typeof(IReadOnlyList<RoleBody>))]
[JsonSerializable(typeof(VerifyBody))]
[JsonSerializable(typeof(EmptyObject))]
[JsonSerializable(typeof(VerifyRequest))]
[JsonSerializable(typeof(UpdateUserRequest))]
internal sealed partial class OktaJsonContext : JsonSerializerContext;

/// <summary>Okta writes instants as UTC with milliseconds: <c>2013-06-24T16:39:18.000Z</c>.</summary>
internal sealed class OktaDateConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}

/// <summary>The context the API writes with.</summary>
internal static class OktaJson
{
    /// <summary>
    /// Like Okta, writes <c>+</c> and other HTML-significant characters literally (<c>"+12025550101"</c>, not
    /// <c>"\u002B..."</c>): these bodies are <c>application/json</c> with <c>nosniff</c>, never embedded in HTML.
    /// </summary>
    public static OktaJsonContext Context { get; } = new(new JsonSerializerOptions(OktaJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
