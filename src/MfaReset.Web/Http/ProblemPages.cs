using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Http;

/// <summary>Maps flow problems to the friendly error page: its URL slug, status code and retry hint.</summary>
public static class ProblemPages
{
    private static readonly Dictionary<FlowProblem, string> Slugs = new()
    {
        [FlowProblem.StartAgain] = "start-again",
        [FlowProblem.Expired] = "expired",
        [FlowProblem.LimitReached] = "limit-reached",
        [FlowProblem.Unavailable] = "unavailable",
        [FlowProblem.Busy] = "busy",
        [FlowProblem.PushRejected] = "push-rejected",
        [FlowProblem.NotConfirmed] = "not-confirmed",
        [FlowProblem.AlreadyUsed] = "already-used",
        [FlowProblem.HelpDesk] = "help-desk",
        [FlowProblem.VerificationPaused] = "verification-paused",
        [FlowProblem.Superseded] = "superseded",
        [FlowProblem.Completed] = "completed",
        [FlowProblem.IdentityProvider] = "identity-provider",
        [FlowProblem.AdminAccount] = "admin-account",
        [FlowProblem.ResetNotAllowed] = "reset-not-allowed",
        [FlowProblem.MethodNotAllowed] = "method-not-allowed",
        [FlowProblem.UnlockNotAllowed] = "unlock-not-allowed",
        [FlowProblem.NetworkPaused] = "network-paused",
        [FlowProblem.PasswordChangedElsewhere] = "changed-elsewhere",
        [FlowProblem.ChangedInAnotherTab] = "changed-in-another-tab",
        [FlowProblem.SendLimitReached] = "code-limit-reached",
        [FlowProblem.PushLimitReached] = "push-limit-reached",
        [FlowProblem.PhoneNotAllowed] = "phone-not-allowed",
        [FlowProblem.PhoneOptedOut] = "phone-opted-out",
        [FlowProblem.MethodNeedsMore] = "method-needs-more",
        [FlowProblem.AccountStatus] = "account-status",
        [FlowProblem.AccountBeingActivated] = "account-being-activated",
        [FlowProblem.AccountThrottled] = "account-throttled",
        [FlowProblem.PasswordTooNew] = "password-too-new",
        [FlowProblem.DirectoryUnlock] = "directory-unlock",
    };

    /// <summary>Pages a "try again" link may lead back to: the flow is kept for these problems.</summary>
    private static readonly HashSet<string> RetryPages = new(StringComparer.Ordinal)
    {
        "/Reset/ChooseFactor", "/Reset/VerifyCode", "/Reset/WaitForPush", "/Reset/ChangePassword",
    };

    public static string SlugOf(FlowProblem problem) => Slugs[problem];

    public static FlowProblem? FromSlug(string? slug) =>
        Slugs.FirstOrDefault(p => string.Equals(p.Value, slug, StringComparison.Ordinal)) is { Value: not null } found ? found.Key : null;

    public static int StatusCodeOf(FlowProblem problem) => problem switch
    {
        FlowProblem.StartAgain => StatusCodes.Status400BadRequest,
        FlowProblem.Expired => StatusCodes.Status410Gone,
        FlowProblem.LimitReached or FlowProblem.NetworkPaused or FlowProblem.SendLimitReached or FlowProblem.PushLimitReached or FlowProblem.AccountThrottled => StatusCodes.Status429TooManyRequests,
        FlowProblem.PhoneNotAllowed or FlowProblem.PhoneOptedOut or FlowProblem.AccountStatus => StatusCodes.Status403Forbidden,
        FlowProblem.MethodNeedsMore or FlowProblem.AccountBeingActivated => StatusCodes.Status409Conflict,
        FlowProblem.VerificationPaused => StatusCodes.Status403Forbidden,
        FlowProblem.Unavailable or FlowProblem.Busy => StatusCodes.Status503ServiceUnavailable,
        FlowProblem.PasswordTooNew or FlowProblem.DirectoryUnlock => StatusCodes.Status403Forbidden,
        FlowProblem.PushRejected or FlowProblem.HelpDesk or FlowProblem.IdentityProvider or FlowProblem.AdminAccount or FlowProblem.ResetNotAllowed or FlowProblem.MethodNotAllowed or FlowProblem.UnlockNotAllowed => StatusCodes.Status403Forbidden,
        FlowProblem.NotConfirmed => StatusCodes.Status504GatewayTimeout,
        FlowProblem.AlreadyUsed or FlowProblem.Superseded or FlowProblem.PasswordChangedElsewhere or FlowProblem.ChangedInAnotherTab => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>
    /// Seconds for <c>Retry-After</c>, when retrying makes sense. Busy: until Okta's low rate-limit window
    /// resets, when the quota monitor knows it (<paramref name="untilQuotaResets"/>), else 30 seconds.
    /// </summary>
    public static int? RetryAfterSeconds(FlowProblem problem, TimeSpan? untilQuotaResets = null) => problem switch
    {
        FlowProblem.Unavailable => 60,
        FlowProblem.Busy when untilQuotaResets is { } wait && wait > TimeSpan.Zero => (int)Math.Ceiling(wait.TotalSeconds),
        FlowProblem.Busy => 30,
        FlowProblem.NetworkPaused => 3600,
        // Okta's words: "Please try again in a few minutes."
        FlowProblem.AccountBeingActivated => 180,
        // Okta locks an authenticator for 5 minutes after too many failures (Okta KB, security.md item 20).
        FlowProblem.AccountThrottled => 300,
        _ => null,
    };

    /// <summary>How long to wait, in the person's language: the busy text's <c>{0}</c>.</summary>
    public static string RetryAfterText(IStringLocalizer text, int? retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(text);
        return retryAfterSeconds switch
        {
            null or <= 1 => text["a moment"],
            < 120 and var seconds => text["{0} seconds", seconds],
            var seconds => text["{0} minutes", (seconds + 59) / 60],
        };
    }

    /// <summary>Whether the flow survives the problem, so the page offers "try again" rather than only "start again".</summary>
    public static bool KeepsFlow(FlowProblem problem) => FlowProblems.KeepsFlow(problem);

    /// <summary>Okta refused this method only: the flow is kept and its way on is the method menu.</summary>
    public static bool LeadsToAnotherMethod(FlowProblem problem) => FlowProblems.LeadsToAnotherMethod(problem);

    /// <summary>A safe "try again" target, or null: the method menu after a refusal of the method, else the page the problem was met on.</summary>
    public static string? RetryPage(FlowProblem problem, string? back) =>
        LeadsToAnotherMethod(problem) ? "/Reset/ChooseFactor"
        : KeepsFlow(problem) && back is not null && RetryPages.Contains(back) ? back : null;

    /// <summary>PRG to the error page for <paramref name="problem"/>; the flow is ended in the browser unless it survives the problem.</summary>
    public static IActionResult RedirectToProblem(this PageModel page, FlowProblem problem) => page.RedirectToProblem(problem, until: null);

    /// <summary>
    /// As <see cref="RedirectToProblem(PageModel, FlowProblem)"/>, naming when the refusal ends (<paramref name="until"/>,
    /// sent as Unix seconds in <c>until</c>) for a page that says it.
    /// </summary>
    public static IActionResult RedirectToProblem(this PageModel page, FlowProblem problem, DateTimeOffset? until)
    {
        ArgumentNullException.ThrowIfNull(page);
        var current = page.RouteData.Values["page"] as string;
        if (problem == FlowProblem.StartAgain && current != "/Reset/ChangePassword" && FlowCookies.ReadToken(page.Request) is not null)
        {
            // Already verified (Back button, another tab): the password page checks the token itself.
            return page.RedirectToPage("/Reset/ChangePassword");
        }

        if (problem == FlowProblem.Completed)
        {
            // The reset is finished (Back button after success): the page says so.
            return page.RedirectToPage("/Reset/Done");
        }

        if (!KeepsFlow(problem))
        {
            FlowCookies.Clear(page.Response);
        }

        var back = RetryPage(problem, current);
        return page.RedirectToPage("/Reset/Problem", new { reason = SlugOf(problem), back, start = StartOf(page), until = until?.ToUnixTimeSeconds() });
    }

    /// <summary>The error page's address for <paramref name="problem"/>, for a script to go to (the push page's poll).</summary>
    public static string? ProblemUrl(this PageModel page, FlowProblem problem, DateTimeOffset? until = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.Url.Page("/Reset/Problem", new { reason = SlugOf(problem), start = StartOf(page), until = until?.ToUnixTimeSeconds() });
    }

    /// <summary>Where the problem page's "Start again" leads, as a fixed name: the unlock's start for an unlock flow's problem.</summary>
    private static string? StartOf(PageModel page) =>
        page.RouteData.Values["page"] as string == "/Reset/Unlock" || FlowTabGuard.IsUnlockFor(page.HttpContext) ? Pages.Reset.ProblemModel.UnlockStart : null;
}
