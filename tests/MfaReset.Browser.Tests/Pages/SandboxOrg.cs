using System.Net.Http.Json;
using System.Text.Json;

namespace MfaReset.Browser.Tests.Pages;

/// <summary>
/// What the Okta side knows, read from the sandbox's JSON control API: proof that what the pages say
/// happened did happen (or that nothing was sent at all).
/// </summary>
public sealed class SandboxOrg(Uri simulator)
{
    private static readonly HttpClient Http = new();

    private Uri Api(string path) => new(simulator, $"/simulator/api/{path}");

    /// <summary>The user's Okta status: <c>ACTIVE</c>, <c>LOCKED_OUT</c>, ...</summary>
    public async Task<string> StatusOfAsync(string login) =>
        (await UserAsync(login)).GetProperty("status").GetString()!;

    /// <summary>When the user's password was last set; compare before and after a story.</summary>
    public async Task<DateTimeOffset> PasswordChangedAsync(string login) =>
        (await UserAsync(login)).GetProperty("passwordChanged").GetDateTimeOffset();

    /// <summary>When Okta last ended the user's sessions, or null when it never did (the API then leaves the property out).</summary>
    public async Task<DateTimeOffset?> SessionsRevokedAsync(string login) =>
        (await UserAsync(login)).TryGetProperty("sessionsRevoked", out var ended) && ended.ValueKind == JsonValueKind.String ? ended.GetDateTimeOffset() : null;

    /// <summary>Factor verifications (SMS, calls, pushes, codes) the portal asked Okta for, across all users.</summary>
    public async Task<int> VerificationsAsync()
    {
        var calls = await Http.GetFromJsonAsync<JsonElement>(Api("calls"));
        return calls.GetProperty("byOperation").TryGetProperty("verifyFactor", out var count) ? count.GetInt32() : 0;
    }

    /// <summary>
    /// Sets the simulator's switch for the next Okta API call about <paramref name="login"/> (<c>Slow</c>,
    /// <c>ServerError</c>, ...), as a trainer does on the phone page.
    /// </summary>
    public async Task ScriptNextCallAsync(string login, string fault)
    {
        using var form = new FormUrlEncodedContent([new("nextPush", "None"), new("nextCall", fault)]);
        using var response = await Http.PostAsync(new Uri(simulator, $"/simulator/users/{Uri.EscapeDataString(login)}/switches"), form);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Waits until the scripted fault of <see cref="ScriptNextCallAsync"/> was spent on a call (that call is now under way).</summary>
    public async Task WaitUntilTheScriptedCallStartsAsync(string login)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((await UserAsync(login)).GetProperty("nextCall").GetString() != "none")
        {
            await Task.Delay(20, patience.Token);
        }
    }

    private async Task<JsonElement> UserAsync(string login) =>
        await Http.GetFromJsonAsync<JsonElement>(Api($"users/{Uri.EscapeDataString(login)}"));
}
