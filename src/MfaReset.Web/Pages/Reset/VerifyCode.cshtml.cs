using System.ComponentModel.DataAnnotations;
using MfaReset.Web.Http;
using MfaReset.Web.Reset;

namespace MfaReset.Web.Pages.Reset;

/// <summary>Step 3 for codes: the send step (SMS, voice, email), then the code. Malformed codes never reach Okta.</summary>
public sealed class VerifyCodeModel(ResetFlow flow, TimeProvider timeProvider, IOptions<ResetOptions> options, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public CodeStep Step { get; private set; } = default!;

    /// <summary>Whole seconds until "send a new code" is available; 0 when it is.</summary>
    public int SendAgainInSeconds { get; private set; }

    /// <summary>A short notice after a redirect; only known values are shown.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Notice { get; set; }

    public string? NoticeText => (Notice, Step.Kind) switch
    {
        ("resent", FactorKind.Call) => "We're calling you again. Listen for the new code: only the newest one works.",
        ("resent", _) => "We sent a new code. Only the newest code works.",
        ("wait", FactorKind.Call) => "We didn't call: calls can only be made a little while apart. Ask again when the wait below is over.",
        ("wait", _) => "We didn't send a code: codes can only be sent a little while apart. Ask again when the wait below is over.",
        ("phone-busy", FactorKind.Email) => "We didn't send an email: Okta can't send one right now (an email was sent moments ago). Wait a little and ask again, or try another method.",
        ("phone-busy", FactorKind.Call) => "We didn't call: Okta can't call your phone right now. Wait a little and ask again, or try another method.",
        ("phone-busy", _) => "We didn't send a code: Okta can't send one to your phone right now. Wait a little and ask again, or try another method.",
        _ => null,
    };

    /// <summary>With the same menu for everyone the portal cannot say a method is set up, so the pages say "if".</summary>
    public bool GenericMenu => options.Value.FactorMenu == FactorMenuMode.Generic;

    /// <summary>The send step's explanation.</summary>
    public string SendStepText => Step.Kind switch
    {
        FactorKind.Call => "We'll call the phone number on your account and read out a 6-digit code.",
        FactorKind.Email => "We'll email a 6-digit code to the email address on your account.",
        _ => "We'll send a text message with a 6-digit code to the phone number on your account.",
    };

    /// <summary>What happened and what to do, said once.</summary>
    public string LeadText => (Step.Kind, GenericMenu) switch
    {
        (FactorKind.Sms, true) => "If text messages are set up for this account, we sent a 6-digit code to its phone. It can take a minute to arrive.",
        (FactorKind.Sms, false) => "We sent a text message with a 6-digit code. It can take a minute to arrive.",
        (FactorKind.Call, true) => "If voice calls are set up for this account, we're calling its phone now. Enter the 6-digit code we tell you.",
        (FactorKind.Call, false) => "We're calling you now. Enter the 6-digit code we tell you.",
        (FactorKind.Email, true) => "If email is set up for this account, we sent a 6-digit code to its email address. It can take a minute to arrive: check your spam folder too.",
        (FactorKind.Email, false) => "We sent an email with a 6-digit code. It can take a minute to arrive: check your spam folder too.",
        (FactorKind.OktaVerifyTotp, _) => "Open Okta Verify on your phone and enter the 6-digit code shown for your account.",
        _ => "Open Google Authenticator on your phone and enter the 6-digit code shown for your account.",
    };

    /// <summary>How long the code can still be entered before the flow ends (a reset or an unlock).</summary>
    public TimeLeft CodeTimeLeft => TimeLeft.Until(Step.EndsAt, timeProvider.GetUtcNow(), "Enter the code within {0}, or you'll need to start again.") with { EndsTheFlow = true };

    /// <summary>The send or send-again button with its wait.</summary>
    public Countdown SendCountdown(string buttonText, string? readyHint) => new(
        SendAgainInSeconds,
        buttonText,
        Step.Kind == FactorKind.Call ? "You can ask for a call in {0} seconds." : "You can ask for a code in {0} seconds.",
        "You can ask again now.",
        readyHint,
        Secondary: Step.CodeSent,
        FormClass: Step.CodeSent ? "resend" : null);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await ShowAsync(cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return await ShowAsync(cancellationToken) ?? Page();
        }

        var result = await flow.VerifyCodeAsync(FlowCookies.ReadFlow(Request), Input.Code, cancellationToken);
        switch (result)
        {
            case VerifyCodeResult.Verified verified:
                FlowCookies.Verified(Response, verified.Credentials);
                return RedirectToPage(FlowCookies.PageAfterVerification(verified.Credentials));
            case VerifyCodeResult.WrongCode wrong:
                ModelState.AddModelError("Input.Code", wrong.AttemptsLeft == 1
                    ? text["That code didn't work. Check it and try again: you have 1 try left."]
                    : text["That code didn't work. Check it and try again: you have {0} tries left.", wrong.AttemptsLeft]);
                Input.Code = null;
                return await ShowAsync(cancellationToken) ?? Page();
            case VerifyCodeResult.CodeAlreadyUsed reused:
                ModelState.AddModelError("Input.Code", reused.Reason == CodeReuse.Replayed
                    ? text["This code was already used. Wait for the next code, then enter it."]
                    : text["This code is outside the time Okta accepts (check that your phone's clock is right). Wait for the next code, then enter it."]);
                Input.Code = null;
                return await ShowAsync(cancellationToken) ?? Page();
            case VerifyCodeResult.Malformed:
                ModelState.AddModelError("Input.Code", text["Enter the 6-digit code, numbers only."]);
                Input.Code = null;
                return await ShowAsync(cancellationToken) ?? Page();
            case VerifyCodeResult.NotSent:
                return RedirectToPage(new { handler = (string?)null });
            case VerifyCodeResult.Failed failed:
                return this.RedirectToProblem(failed.Problem, failed.Until);
            default:
                throw new InvalidOperationException($"Unexpected {result.GetType().Name}.");
        }
    }

    /// <summary>The send step and "send a new code".</summary>
    public async Task<IActionResult> OnPostSendAsync(CancellationToken cancellationToken)
    {
        var result = await flow.SendCodeAsync(FlowCookies.ReadFlow(Request), cancellationToken);
        switch (result)
        {
            case SendCodeResult.Sent sent:
                return RedirectToPage(new { handler = (string?)null, notice = sent.Resend ? "resent" : null });
            case SendCodeResult.TooSoon:
                return RedirectToPage(new { handler = (string?)null, notice = "wait" });
            case SendCodeResult.PhoneBusy:
                return RedirectToPage(new { handler = (string?)null, notice = "phone-busy" });
            case SendCodeResult.PhoneUnavailable:
                return RedirectToPage("/Reset/ChooseFactor", new { notice = ChooseFactorModel.PhoneUnavailableNotice });
            case SendCodeResult.Failed failed:
                return this.RedirectToProblem(failed.Problem);
            default:
                throw new InvalidOperationException($"Unexpected {result.GetType().Name}.");
        }
    }

    public static string Heading(CodeStep step) => step.Kind switch
    {
        FactorKind.Sms when !step.CodeSent => "Get a code by text message",
        FactorKind.Call when !step.CodeSent => "Get a code by voice call",
        FactorKind.Email when !step.CodeSent => "Get a code by email",
        FactorKind.Email => "Enter the code we emailed you",
        FactorKind.Sms => "Enter the code we sent",
        FactorKind.Call => "Enter the code we told you",
        FactorKind.OktaVerifyTotp => "Enter the code from Okta Verify",
        _ => "Enter the code from Google Authenticator",
    };

    private async Task<IActionResult?> ShowAsync(CancellationToken cancellationToken)
    {
        var step = await flow.GetCodeStepAsync(FlowCookies.ReadFlow(Request), cancellationToken);
        if (step is CodeStepResult.Failed failed)
        {
            return this.RedirectToProblem(failed.Problem);
        }

        Step = ((CodeStepResult.Ready)step).Step;
        SendAgainInSeconds = Countdown.SecondsUntil(Step.SendAgainAt, timeProvider.GetUtcNow());
        return null;
    }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter the 6-digit code.")]
        [StringLength(16, ErrorMessage = "Enter the 6-digit code, numbers only.")]
        [Display(Name = "Verification code")]
        public string? Code { get; set; }
    }
}
