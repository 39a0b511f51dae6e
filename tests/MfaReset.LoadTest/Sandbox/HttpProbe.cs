using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.LoadTest.Sandbox;

/// <summary>The probe for a sandbox in another process: its JSON control API under <c>/simulator/api/</c>.</summary>
internal sealed class HttpProbe(HttpClient http, Uri sandboxUrl) : ISandboxProbe
{
    private readonly Uri _api = new(sandboxUrl, "simulator/api/");

    public async Task<IReadOnlyList<ProbeUser>> UsersAsync(CancellationToken ct)
    {
        var users = await GetAsync(new Uri(_api, "users"), ProbeJsonContext.Default.ListUserDto, ct).ConfigureAwait(false);
        return [.. users.Select(u => ProbeUsers.From(u.Login, u.Status, u.IsDemoUser, u.CredentialsProvider, u.AdminRoles?.Count ?? 0, u.Factors.Select(f => f.Kind)))];
    }

    public async Task<string?> LatestPhoneCodeAsync(string login, CancellationToken ct)
    {
        var messages = await GetAsync(UserUrl(login, "messages"), ProbeJsonContext.Default.ListMessageDto, ct).ConfigureAwait(false);
        return messages.FirstOrDefault()?.Code;
    }

    public async Task<string> TotpCodeAsync(string login, ResetKind kind, CancellationToken ct)
    {
        var codes = await GetAsync(UserUrl(login, "totp"), ProbeJsonContext.Default.ListTotpDto, ct).ConfigureAwait(false);
        var factorKind = ProbeUsers.TotpFactorKind(kind);
        return codes.First(c => c.Kind == factorKind).Code;
    }

    public async Task<ProbePush?> PendingPushAsync(string login, CancellationToken ct)
    {
        var pushes = await GetAsync(UserUrl(login, "pushes"), ProbeJsonContext.Default.ListPushDto, ct).ConfigureAwait(false);
        return pushes is [var newest, ..] ? new ProbePush(newest.TransactionId, newest.CorrectAnswer) : null;
    }

    public async Task<bool> ApprovePushAsync(string transactionId, int? number, CancellationToken ct)
    {
        var url = new Uri(_api, $"pushes/{Uri.EscapeDataString(transactionId)}/approve");
        using var response = await http.PostAsJsonAsync(url, new ApproveDto(number), ProbeJsonContext.Default.ApproveDto, ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync(ProbeJsonContext.Default.AnswerDto, ct).ConfigureAwait(false);
        return answer?.Outcome == PushAnswerOutcome.Approved;
    }

    public async Task<ProbeCallCounts> CallCountsAsync(CancellationToken ct)
    {
        var counts = await GetAsync(new Uri(_api, "calls"), ProbeJsonContext.Default.CallsDto, ct).ConfigureAwait(false);
        return new ProbeCallCounts(counts.ByOperation, counts.ByUser.ToDictionary(
            p => p.Key, p => (IReadOnlyDictionary<string, long>)p.Value, StringComparer.OrdinalIgnoreCase));
    }

    private Uri UserUrl(string login, string what) => new(_api, $"users/{Uri.EscapeDataString(login)}/{what}");

    private async Task<T> GetAsync<T>(Uri url, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct) =>
        await http.GetFromJsonAsync(url, type, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The sandbox answered null for {url.AbsolutePath}.");
}

internal sealed record UserDto(string Login, string Status, bool IsDemoUser, List<FactorDto> Factors, string? CredentialsProvider, List<string>? AdminRoles);

internal sealed record FactorDto(SandboxFactorKind Kind);

internal sealed record MessageDto(string Code);

internal sealed record TotpDto(SandboxFactorKind Kind, string Code);

internal sealed record PushDto(string TransactionId, int? CorrectAnswer);

internal sealed record ApproveDto(int? PickedNumber);

internal sealed record AnswerDto(PushAnswerOutcome Outcome);

internal sealed record CallsDto(Dictionary<string, long> ByOperation, Dictionary<string, Dictionary<string, long>> ByUser);

/// <summary>The control API's JSON: camelCase names and enum values.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    Converters = [typeof(CamelCaseEnum<SandboxFactorKind>), typeof(CamelCaseEnum<PushAnswerOutcome>)])]
[JsonSerializable(typeof(List<UserDto>))]
[JsonSerializable(typeof(List<MessageDto>))]
[JsonSerializable(typeof(List<TotpDto>))]
[JsonSerializable(typeof(List<PushDto>))]
[JsonSerializable(typeof(ApproveDto))]
[JsonSerializable(typeof(AnswerDto))]
[JsonSerializable(typeof(CallsDto))]
internal sealed partial class ProbeJsonContext : JsonSerializerContext;

internal sealed class CamelCaseEnum<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
