using MfaReset.Web.Hosting;
using MfaReset.Web.Http;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Pages.Reset;

/// <summary>
/// The friendly error page of every flow problem, with its own status code (and Retry-After when retrying
/// makes sense), a reference for the help desk, and the way on: the help desk's contact for refusals only
/// the help desk can resolve, else starting again where the flow started (the reset or the unlock).
/// </summary>
public sealed class ProblemModel(IOktaQuotaMonitor quota, TimeProvider time, IOptions<BrandingOptions> branding, IOptions<ResetOptions> reset, ResetFlow flow, MfaReset.Web.HelpDesk.ProblemReferences references) : PageModel
{
    /// <summary>The <c>start</c> value of a problem met in an unlock flow (<see cref="ProblemPages.RedirectToProblem"/>).</summary>
    public const string UnlockStart = "unlock";

    public FlowProblem Problem { get; private set; }

    public BrandingOptions Branding => branding.Value;

    /// <summary>Where "Start again" leads: the unlock's first page for an unlock flow's problem, else the reset's. Never a URL from the request.</summary>
    public string StartPage { get; private set; } = "/";

    /// <summary>Quoted to the help desk: the same trace id as the request's log lines.</summary>
    public string Reference { get; private set; } = string.Empty;

    /// <summary>Refusals that starting again cannot change: the page's main action is the help desk.</summary>
    public bool PointsToHelpDesk => Problem is FlowProblem.HelpDesk or FlowProblem.AdminAccount or FlowProblem.ResetNotAllowed
        or FlowProblem.UnlockNotAllowed or FlowProblem.AccountStatus or FlowProblem.DirectoryUnlock;

    /// <summary>The label of the way back into the flow: the method menu after Okta refused the method, else "Try again".</summary>
    public string RetryLabel => ProblemPages.LeadsToAnotherMethod(Problem) ? "Choose another method" : "Try again";

    /// <summary>
    /// Pages that name the help desk's contact: its refusals, and the verification pause, whose main way on is
    /// still starting again with a push (a stranger's wrong codes must not leave the person only the help desk).
    /// </summary>
    public bool ShowsHelpDeskContact => PointsToHelpDesk || Problem == FlowProblem.VerificationPaused;

    /// <summary>Where "Try again" leads, when the flow survived.</summary>
    public string? RetryPage { get; private set; }

    /// <summary>Seconds until retrying makes sense, when it does (also sent as <c>Retry-After</c>).</summary>
    public int? RetryAfterSeconds { get; private set; }

    /// <summary>
    /// Seconds until the refusal ends, for one that names it (<see cref="FlowProblem.PasswordTooNew"/>): from the
    /// <c>until</c> the flow put in the redirect, kept only when it lies within <see cref="LongestNamedWait"/>. It is
    /// the person's own number: a changed link misleads only whoever changed it.
    /// </summary>
    public int? SecondsUntilAllowed { get; private set; }

    /// <summary>The longest wait the page names; Okta's minimum age is read up to a year (the portal's wire limit).</summary>
    private static readonly TimeSpan LongestNamedWait = TimeSpan.FromDays(366);

    public async Task<IActionResult> OnGetAsync(string? reason, string? back, string? start, long? until, CancellationToken cancellationToken)
    {
        if (ProblemPages.FromSlug(reason) is not { } problem)
        {
            return NotFound();
        }

        if (problem == FlowProblem.Completed)
        {
            return RedirectToPage("/Reset/Done");
        }

        Problem = problem;
        StartPage = string.Equals(start, UnlockStart, StringComparison.Ordinal) ? "/unlock" : "/";
        Reference = ErrorReference.Of(HttpContext);
        // The help desk looks the reference up (HelpDesk/ProblemReferences): which flow, which problem.
        await references.RecordAsync(Reference, await flow.PublicIdOfAsync(FlowCookies.ReadFlow(Request), cancellationToken), ClientRateLimit.ClientKey(HttpContext.Connection.RemoteIpAddress), problem, cancellationToken);
        RetryPage = ProblemPages.RetryPage(problem, back);
        Response.StatusCode = ProblemPages.StatusCodeOf(problem);
        // Busy: until Okta's low quota resets or the portal's own allowance of a bucket renews, whichever is later.
        var busyUntil = new[] { quota.LowUntil, quota.AllowanceSpentUntil }.Max();
        RetryAfterSeconds = ProblemPages.RetryAfterSeconds(problem, busyUntil - time.GetUtcNow());
        if (problem == FlowProblem.PasswordTooNew && until is > 0 and < 253_402_300_799)
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(until.Value) - time.GetUtcNow();
            // Whole hours from two hours on, rounded up: "in 24 hours", never a moment too early.
            SecondsUntilAllowed = wait <= TimeSpan.Zero || wait > LongestNamedWait ? null
                : wait >= TimeSpan.FromHours(2) ? (int)Math.Ceiling(wait.TotalHours) * 3600
                : (int)Math.Ceiling(wait.TotalSeconds);
            RetryAfterSeconds = SecondsUntilAllowed;
        }

        if (RetryAfterSeconds is { } seconds)
        {
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Page();
    }

    /// <summary>
    /// A per-person send limit's numbers, for its text's <c>{0}</c> to <c>{2}</c>: how many in how long, and
    /// how many a day. The store's rolling count says only that a limit is reached, not which of the two or
    /// since when, so the page gives the latest either ends: the window, or a day.
    /// </summary>
    public object[] LimitArguments(IStringLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var limits = reset.Value.Limits;
        var (perWindow, perDay) = Problem == FlowProblem.PushLimitReached
            ? (limits.PushesPerUser, limits.PushesPerUserPerDay)
            : (limits.SendsPerUser, limits.SendsPerUserPerDay);
        return [perWindow, TimeLeft.Describe(text, (int)limits.PerUserWindow.TotalSeconds), perDay];
    }

    /// <summary>The page's heading and text: keys of the shared resources (the busy text takes <see cref="RetryAfterText"/> as <c>{0}</c>; the send limits' <see cref="LimitArguments"/>).</summary>
    public (string Title, string Text) Describe() => Problem switch
    {
        FlowProblem.Expired => ("This reset has expired", "For your security, a password reset must be finished within a few minutes. Please start again."),
        FlowProblem.LimitReached => ("Too many attempts", "For your security, we've stopped this password reset. Wait 15 minutes, then start again."),
        FlowProblem.SendLimitReached => ("Too many codes sent to this account", "Nothing was sent this time: this account has been sent as many codes as allowed, {0} every {1} and {2} a day, across all resets. New codes can be sent again within {1}, or within a day once {2} were sent today. Until then, start again and choose another method, such as a code from an authenticator app, or contact your help desk."),
        FlowProblem.PushLimitReached => ("Too many push notifications sent to this account", "Nothing was sent this time: this account has been sent as many push notifications as allowed, {0} every {1} and {2} a day, across all resets. Pushes can be sent again within {1}, or within a day once {2} were sent today. Until then, start again and choose another method, such as a code from an authenticator app, or contact your help desk."),
        FlowProblem.Unavailable => ("The service is temporarily unavailable", "We can't reach the service that confirms who you are right now. Please try again in a few minutes."),
        FlowProblem.Busy => ("The service is busy", "Okta, which checks who you are, has too many requests to answer right now. Nothing was lost. Please try again in {0}."),
        FlowProblem.PushRejected => ("The push wasn't approved", "Okta Verify reported the request as not approved: it was denied, or the number tapped didn't match the one shown here. For your security we've stopped this password reset. Start again and tap the number this page shows; if you didn't start it, tell your IT help desk."),
        FlowProblem.Superseded => ("This reset continues in another tab", "You started a new password reset in another tab or window, so this one has ended. Carry on in the newest tab, or start again here."),
        FlowProblem.NotConfirmed => ("We couldn't confirm the change", "We couldn't confirm whether your password was changed. Try signing in with your new password. If it doesn't work, your old password is still in place: wait a few minutes, then start a new reset."),
        FlowProblem.AlreadyUsed => ("This reset was already used", "This password reset has already been used or is being finished in another window. Start again if you still need to reset your password."),
        FlowProblem.VerificationPaused => ("Codes are paused for your account", "Several codes in a row were wrong for this account, so we've stopped checking codes for it to keep Okta from locking it. You can still confirm it's you with an Okta Verify push notification: start again and choose it. Codes work again within {0}, or as soon as you sign in successfully; your IT help desk can also lift the pause."),
        FlowProblem.NetworkPaused => ("Too many wrong codes from your network", "Many codes typed from your network in the last hour were wrong, so we've stopped checking codes from it for a while. Nothing was counted against your account. You can still confirm it's you with an Okta Verify push notification: start again and choose it. Or try a code again within an hour, or from another network."),
        FlowProblem.HelpDesk => ("Contact your help desk", "Your password is managed by another system, so it can't be changed here. Your IT help desk can reset it for you."),
        FlowProblem.IdentityProvider => ("Sign in with your identity provider", "Your account doesn't have a password here: you sign in through your organization's identity provider or a social account. Use that sign-in, and reset its password there if you need to. Nothing was changed."),
        FlowProblem.AdminAccount => ("Contact your help desk", "Your account has administrator rights, so its password can't be reset here. Another administrator or your IT help desk can reset it for you. Nothing was changed."),
        FlowProblem.ResetNotAllowed => ("Contact your help desk", "Your organization doesn't allow your account's password to be reset here. Your IT help desk can reset it for you. Nothing was changed."),
        FlowProblem.UnlockNotAllowed => ("Contact your help desk", "Your organization doesn't allow your account to be unlocked here. Your IT help desk can unlock it for you. Nothing was changed."),
        FlowProblem.ChangedInAnotherTab => ("Your password was already changed in another tab", "This reset was finished in another tab or window, so the password you just entered was not set. The password you chose in that tab is the one in use now: sign in with it."),
        FlowProblem.MethodNotAllowed => ("Use another method", "Your organization doesn't allow this method to be used here. Start again and choose another method; if none of yours is allowed, your IT help desk can help. Nothing was changed."),
        FlowProblem.PhoneNotAllowed => ("Okta can't send to this phone number", "Your organization's Okta sends codes only to phone numbers in the US and Canada, so nothing was sent to this number. Choose another method, such as a code from an authenticator app or an Okta Verify push notification. If you have no other method, your IT help desk can help."),
        FlowProblem.PhoneOptedOut => ("This phone number has opted out of Okta's messages", "Okta can't send a code to this number because the number has opted out of its messages, so nothing was sent. Choose another method. To receive codes on this phone again, your IT help desk can tell you how to opt back in."),
        FlowProblem.MethodNeedsMore => ("Use another method", "Okta asks for an additional check with this method that this page can't give, so it can't confirm it's you this way. Nothing was changed. Choose another method."),
        FlowProblem.AccountStatus => ("Contact your help desk", "Okta doesn't allow this for your account in its current state, so nothing was changed. Your IT help desk can check your account and help you."),
        FlowProblem.AccountBeingActivated => ("Your account is still being set up", "Okta is still activating your account, so nothing was changed yet. Please try again in {0}."),
        FlowProblem.AccountThrottled => ("Okta has paused checks for your account", "Okta received too many verification attempts for your account in a short time and has paused them, so nothing was checked this time. Wait {0}, then start again. If you didn't make these attempts, tell your IT help desk."),
        FlowProblem.DirectoryUnlock => ("Contact your help desk", "Your account is managed by your organization's directory, so it can't be unlocked here. Your IT help desk can unlock it for you. Nothing was changed."),
        FlowProblem.PasswordTooNew when SecondsUntilAllowed is not null => ("You can't change your password yet", "Your password was changed recently, and your organization requires a password to stay in use for a while before it's changed again. You can reset it here in {0}. Nothing was changed: your current password still works."),
        FlowProblem.PasswordTooNew => ("You can't change your password yet", "Your password was changed recently, and your organization requires a password to stay in use for a while before it's changed again. Try again later. Nothing was changed: your current password still works."),
        FlowProblem.PasswordChangedElsewhere => ("Your password was changed elsewhere", "Your password was changed somewhere else (for example by your IT help desk) after this reset began, so this reset has ended and nothing was changed here. Try signing in with the newest password. If you didn't change it, tell your IT help desk."),
        _ => ("Please start again", "We couldn't continue your password reset: it may have ended, or been opened in another browser."),
    };

    /// <summary>The text's <c>{0}</c>, in the person's language: the wait of the busy page, the longest pause of the paused page; null for other texts.</summary>
    public string? TextArgument(IStringLocalizer text) => Problem switch
    {
        FlowProblem.Busy or FlowProblem.AccountBeingActivated or FlowProblem.AccountThrottled => RetryAfterText(text),
        FlowProblem.VerificationPaused => TimeLeft.Describe(text, (int)reset.Value.Limits.PauseDuration.TotalSeconds),
        FlowProblem.PasswordTooNew when SecondsUntilAllowed is { } seconds => TimeLeft.Describe(text, seconds),
        _ => null,
    };

    /// <summary>How long to wait, in the person's language.</summary>
    public string RetryAfterText(IStringLocalizer text) => ProblemPages.RetryAfterText(text, RetryAfterSeconds);
}
