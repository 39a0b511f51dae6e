using System.Net.Http.Json;
using System.Text.Json;

namespace MfaReset.Web.Tests.Support;

/// <summary>
/// The smtp4dev server ./test.sh starts (<c>MFARESET_TEST_SMTP</c> = <c>host:smtpPort|apiUrl</c>): the notice
/// tests send to it over real SMTP and read back what it received through its web API.
/// </summary>
public sealed class Smtp4Dev : IDisposable
{
    public const string Variable = "MFARESET_TEST_SMTP";

    private readonly HttpClient _api;

    public Smtp4Dev()
    {
        var value = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set
            ? set
            : throw new InvalidOperationException($"{Variable} is not set. Run ./test.sh, which starts smtp4dev and sets it, or set it to host:smtpPort|http://api.");
        var parts = value.Split('|');
        var endpoint = parts[0].Split(':');
        Host = endpoint[0];
        Port = int.Parse(endpoint[1], System.Globalization.CultureInfo.InvariantCulture);
        _api = new HttpClient { BaseAddress = new Uri(parts[1]) };
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>Removes every received message.</summary>
    public async Task ClearAsync() => (await _api.DeleteAsync("api/messages/*")).EnsureSuccessStatusCode();

    /// <summary>The raw messages (headers and body) received for <paramref name="recipient"/>, oldest first.</summary>
    public async Task<IReadOnlyList<string>> RawMessagesToAsync(string recipient)
    {
        var list = await _api.GetFromJsonAsync<JsonElement>("api/messages?pageSize=200");
        var ids = list.GetProperty("results").EnumerateArray()
            .Where(m => m.GetProperty("to").EnumerateArray().Any(t => string.Equals(t.GetString(), recipient, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(m => m.GetProperty("receivedDate").GetDateTimeOffset())
            .Select(m => m.GetProperty("id").GetString())
            .ToList();
        var raw = new List<string>();
        foreach (var id in ids)
        {
            raw.Add(await _api.GetStringAsync($"api/messages/{id}/raw"));
        }

        return raw;
    }

    /// <summary>Waits (briefly, in real time) for <paramref name="count"/> messages to <paramref name="recipient"/>.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(string recipient, int count = 1)
    {
        IReadOnlyList<string> received = [];
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while ((received = await RawMessagesToAsync(recipient)).Count < count)
        {
            try
            {
                await Task.Delay(50, patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"smtp4dev received {received.Count} of {count} message(s) to {recipient}.");
            }
        }

        return received;
    }

    public void Dispose() => _api.Dispose();
}
