using System.ComponentModel.DataAnnotations;
using MfaReset.Okta;
using MfaReset.Web.Flow;
using MfaReset.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MfaReset.Web.Pages.Reset;

/// <summary>Step 3 for codes: the send step (SMS, voice), then the code. Malformed codes never reach Okta.</summary>
public sealed class VerifyCodeModel(ResetFlow flow, TimeProvider timeProvider) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public CodeStep Step { get; private set; } = default!;

    /// <summary>Whole seconds until "send a new code" is available; 0 when it is.</summary>
    public int SendAgainInSeconds { get; private set; }

    /// <summary>A short notice after a redirect (<c>?notice=sent</c>); only known values are shown.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Notice { get; set; }

    public string? NoticeText => Notice switch
    {
        "sent" => "We sent you a code.",
        "wait" => "Please wait a little before asking for another code.",
        "phone-busy" => "We can't send a code to your phone right now. Wait a little and ask again, or try another method.",
        _ => null,
    };

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
                return RedirectToPage("/Reset/ChangePassword");
            case VerifyCodeResult.WrongCode wrong:
                ModelState.AddModelError("Input.Code", wrong.AttemptsLeft == 1
                    ? "That code didn't work. Check it and try again: you have 1 try left."
                    : $"That code didn't work. Check it and try again: you have {wrong.AttemptsLeft} tries left.");
                Input.Code = null;
                return await ShowAsync(cancellationToken) ?? Page();
            case VerifyCodeResult.CodeAlreadyUsed reused:
                ModelState.AddModelError("Input.Code", reused.Reason == CodeReuse.Replayed
                    ? "This code was already used. Wait for the next code, then enter it."
                    : "This code is outside the time Okta accepts (check that your phone's clock is right). Wait for the next code, then enter it.");
                Input.Code = null;
                return await ShowAsync(cancellationToken) ?? Page();
            case VerifyCodeResult.Malformed:
                ModelState.AddModelError("Input.Code", "Enter the 6-digit code, numbers only.");
                Input.Code = null;
                return await ShowAsync(cancellationToken) ?? Page();
            case VerifyCodeResult.NotSent:
                return RedirectToPage(new { handler = (string?)null });
            case VerifyCodeResult.Failed failed:
                return this.RedirectToProblem(failed.Problem);
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
            case SendCodeResult.Sent:
                return RedirectToPage(new { handler = (string?)null, notice = "sent" });
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
        FactorKind.Sms or FactorKind.Call => "Enter the code we sent",
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
        var wait = Step.SendAgainAt is { } at ? at - timeProvider.GetUtcNow() : TimeSpan.Zero;
        SendAgainInSeconds = wait > TimeSpan.Zero ? (int)Math.Ceiling(wait.TotalSeconds) : 0;
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
