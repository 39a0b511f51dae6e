namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>
/// A page of the sandbox's sign-in (<c>SignInDocument.razor</c>): the demo agents to sign in as for the
/// pending authorization <paramref name="RequestId"/>, else <paramref name="Message"/>. Public because the
/// component that takes it is (Razor generates public classes).
/// </summary>
public sealed record SignInPageView(string Title, string? Message, string? RequestId = null);
