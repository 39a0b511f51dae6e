using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Flurl.Http.Configuration;

namespace MfaReset.Okta.Wire;

/// <summary>
/// Flurl's JSON over a source-generated <see cref="JsonSerializerContext"/>: only the context's types are
/// written or read, with its options, and nothing falls back to reflection (a type the context lacks is a bug).
/// </summary>
internal sealed class OktaJsonSerializer(JsonSerializerContext context) : ISerializer
{
    public static readonly OktaJsonSerializer Okta = new(OktaJsonContext.Default);

    public string Serialize(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return JsonSerializer.Serialize(obj, TypeInfo(obj.GetType()));
    }

    public T Deserialize<T>(string s) => JsonSerializer.Deserialize(s, TypeInfo<T>())!;

    public T Deserialize<T>(Stream stream) => JsonSerializer.Deserialize(stream, TypeInfo<T>())!;

    private JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)TypeInfo(typeof(T));

    private JsonTypeInfo TypeInfo(Type type) =>
        context.GetTypeInfo(type) ?? throw new NotSupportedException($"{type.Name} is not in {context.GetType().Name}.");
}
