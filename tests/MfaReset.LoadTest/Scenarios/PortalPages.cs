using MfaReset.LoadTest.Sandbox;
using MfaReset.Testing.Browser;

namespace MfaReset.LoadTest.Scenarios;

/// <summary>
/// What the virtual users know about the portal's pages: addresses, field names and the menu's choice
/// keys, as a person sees them in the markup. One place, so a page change breaks the driver loudly here.
/// </summary>
internal static class PortalPages
{
    public const string ForgotPassword = "/";
    public const string ChooseFactor = "/reset/method";
    public const string VerifyCode = "/reset/code";
    public const string WaitForPush = "/reset/push";
    public const string ChangePassword = "/reset/password";
    public const string Done = "/reset/done";

    /// <summary>The problem page for a reset token that was already used.</summary>
    public const string UsedTokenProblem = "/reset/problem/already-used";

    /// <summary>The problem page for a password submitted after the same reset changed it (the race's second request, when it comes after).</summary>
    public const string ChangedInAnotherTabProblem = "/reset/problem/changed-in-another-tab";

    /// <summary>A bare page with the portal's layout (no flow, no Okta), the yardstick of figure 3.</summary>
    public const string Baseline = "/_bench/baseline";

    /// <summary>Figure 9's yardsticks for the push poll: the same middleware and answer, with and without the antiforgery check.</summary>
    public const string BenchPoll = "/_bench/poll";
    public const string BenchPollWithoutAntiforgery = "/_bench/poll-without-antiforgery";

    /// <summary>
    /// Until the portal serves <see cref="Baseline"/>: its simplest page with the same layout and a 200 (the
    /// forgot-password form: no flow, no Okta call, but an antiforgery token).
    /// </summary>
    public const string BaselineFallback = ForgotPassword;

    public const string UsernameField = "Input.Username";
    public const string ChoiceField = "Input.Choice";
    public const string CodeField = "Input.Code";
    public const string NewPasswordField = "Input.NewPassword";
    public const string ConfirmPasswordField = "Input.ConfirmPassword";

    /// <summary>The Razor handler segments of the send and "I've approved it" forms.</summary>
    public const string SendHandler = "/Send";
    public const string CheckHandler = "/Check";

    /// <summary>The push page's poll: the element carrying its URL, and the number to tap.</summary>
    public const string PushPollSelector = "[data-push-poll]";
    public const string PushPollAttribute = "data-push-poll";
    public const string PushNextAttribute = "data-next";
    public const string PushNumberSelector = "[data-push-number]";

    /// <summary>The antiforgery header the page script sends with its poll (the value of <see cref="HtmlPage.AntiforgeryField"/>).</summary>
    public const string AntiforgeryHeader = "RequestVerificationToken";

    /// <summary>The generic menu's key for a kind (the radio button's value).</summary>
    public static string ChoiceKey(ResetKind kind) => kind switch
    {
        ResetKind.Sms => "sms",
        ResetKind.Voice => "call",
        ResetKind.OktaVerifyTotp => "okta-code",
        ResetKind.GoogleAuthenticator => "google-code",
        ResetKind.Push => "push",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a menu kind."),
    };
}
