namespace MfaReset.Okta.Sandbox.Api;

/// <summary>
/// The sandbox's "org URL" (scheme, host, port; no trailing slash), which every <c>_links</c> href starts
/// with. Known only once Kestrel has bound its port, and set before anyone learns that port.
/// </summary>
internal sealed class OrgUrl
{
    private string? _value;

    public string Value
    {
        get => Volatile.Read(ref _value) ?? throw new InvalidOperationException("The sandbox has not started listening yet.");
        set => Volatile.Write(ref _value, value.TrimEnd('/'));
    }
}
