using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox;

/// <summary>A started sandbox. Dispose to stop listening.</summary>
public sealed class RunningSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal RunningSandbox(WebApplication app, Uri baseUrl, string apiToken, ISandboxControl control, SandboxServiceApp serviceApp)
    {
        ServiceApp = serviceApp;
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

    /// <summary>The OAuth service app the sandbox's token endpoint knows: what a client configured for PrivateKeyJwt needs.</summary>
    public SandboxServiceApp ServiceApp { get; }

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

/// <summary>The sandbox's registered service app.</summary>
/// <param name="ClientId">The app's client id (<c>Okta:ClientId</c>).</param>
/// <param name="KeyId">The registered key's id (<c>Okta:KeyId</c>).</param>
/// <param name="DemoPrivateKeyPem">
/// The private half of the demo key made at start (<c>Okta:PrivateKey</c>); null when a public key was configured.
/// A secret: never log it.
/// </param>
/// <param name="DpopNonce">The nonce token requests must carry when the app requires one.</param>
public sealed record SandboxServiceApp(string ClientId, string KeyId, string? DemoPrivateKeyPem, string DpopNonce)
{
    /// <summary>Leaves the private key out.</summary>
    public override string ToString() => $"SandboxServiceApp {{ ClientId = {ClientId}, KeyId = {KeyId} }}";
}
