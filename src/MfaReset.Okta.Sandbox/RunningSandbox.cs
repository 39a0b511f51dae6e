namespace MfaReset.Okta.Sandbox;

/// <summary>A started sandbox. Dispose to stop listening.</summary>
public sealed class RunningSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal RunningSandbox(WebApplication app, Uri baseUrl, string apiToken, ISandboxControl control)
    {
        _app = app;
        BaseUrl = baseUrl;
        ApiToken = apiToken;
        Control = control;
        PhoneSimulatorUrl = new Uri(baseUrl, Simulator.SimulatorEndpoints.PagePath.TrimStart('/'));
    }

    /// <summary>The "org URL", e.g. <c>http://127.0.0.1:41234/</c>: point an Okta client here.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The token clients send as <c>Authorization: SSWS {ApiToken}</c>. A secret: never log it.</summary>
    public string ApiToken { get; }

    /// <summary>The phone simulator page.</summary>
    public Uri PhoneSimulatorUrl { get; }

    /// <summary>Codes, pushes, scripts and counters, in process.</summary>
    public ISandboxControl Control { get; }

    /// <summary>Stops the sandbox.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Leaves the token out.</summary>
    public override string ToString() => $"Okta sandbox at {BaseUrl}";
}
