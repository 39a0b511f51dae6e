using System.ComponentModel.DataAnnotations;
using MfaReset.Web.Http;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.Policy;

namespace MfaReset.Web.Pages.Reset;

/// <summary>
/// Step 4: the new password, sent to Okta exactly as typed. A mismatch or a too-long password makes no
/// Okta call; Okta's policy reasons are shown, and a rejection leaves the reset token usable, as does a
/// lost answer that reading the user back showed had changed nothing.
/// </summary>
public sealed class ChangePasswordModel(ResetFlow flow, IOptions<ResetOptions> options, PasswordChecks checks, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>
    /// The applicable Okta password policy's rules (the configured ones when the policy is not followed),
    /// then the portal's own checks, in English: the view shows each in the person's language.
    /// </summary>
    public IReadOnlyList<PasswordRule> PolicyRules => checks.ChecklistOf(_ready?.PolicyRules ?? []);

    /// <summary>What the password must not contain, for the checklist's live check: the person's own words, shown only to them after verification.</summary>
    public string PersonalWords => string.Join(' ', _ready?.PersonalWords ?? []);

    private PasswordStepResult.Ready? _ready;

    public int MaxLength => options.Value.MaxPasswordLength;

    /// <summary>What to change, in plain sentences, after Okta refused the password.</summary>
    public IReadOnlyList<string> Rejections { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var step = await flow.GetPasswordStepAsync(FlowCookies.ReadFlow(Request), FlowCookies.ReadToken(Request), cancellationToken);
        switch (step)
        {
            case PasswordStepResult.Failed failed:
                return this.RedirectToProblem(failed.Problem);
            case PasswordStepResult.Ready ready:
                _ready = ready;
                return Page();
            default:
                throw new InvalidOperationException($"Unexpected {step.GetType().Name}.");
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var password = Input.NewPassword ?? string.Empty;
        if (password.Length > MaxLength)
        {
            ModelState.AddModelError("Input.NewPassword", text["Enter a password of at most {0} characters: Okta uses no more than that, so a longer one would not be kept whole.", MaxLength]);
        }
        else if (ModelState.IsValid && !string.Equals(password, Input.ConfirmPassword, StringComparison.Ordinal))
        {
            ModelState.AddModelError("Input.ConfirmPassword", text["The passwords don't match. Type the same password in both fields."]);
        }

        if (!ModelState.IsValid)
        {
            return await RedisplayAsync(cancellationToken);
        }

        var result = await flow.ChangePasswordAsync(FlowCookies.ReadFlow(Request), FlowCookies.ReadToken(Request), password, cancellationToken);
        switch (result)
        {
            case ChangePasswordResult.Changed:
                FlowCookies.Completed(Response);
                return RedirectToPage("/Reset/Done");
            case ChangePasswordResult.Rejected rejected:
                ModelState.AddModelError("Input.NewPassword", text["This password wasn't accepted. Choose a different one: what to change is listed under the field."]);
                var rejections = PasswordRules.Explain(rejected.Reasons, text);
                var page = await RedisplayAsync(cancellationToken);
                Rejections = rejections;
                return page;
            case ChangePasswordResult.Weak weak:
                ModelState.AddModelError("Input.NewPassword", text["This password doesn't follow every rule. Your new password must:"]);
                var failedRules = weak.FailedRules.Select(rule => rule.Show(text)).ToList();
                var refused = await RedisplayAsync(cancellationToken);
                Rejections = failedRules;
                return refused;
            case ChangePasswordResult.NotChanged:
                ModelState.AddModelError(string.Empty, text["Okta didn't answer in time, and your password was not changed. Enter your new password again to try once more."]);
                return await RedisplayAsync(cancellationToken);
            case ChangePasswordResult.Failed failed:
                return this.RedirectToProblem(failed.Problem);
            default:
                throw new InvalidOperationException($"Unexpected {result.GetType().Name}.");
        }
    }

    // Never echo a password back: both fields render empty.
    private async Task<IActionResult> RedisplayAsync(CancellationToken cancellationToken)
    {
        Input = new InputModel();
        return await OnGetAsync(cancellationToken);
    }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter a new password.")]
        [DataType(DataType.Password)]
        [Display(Name = "New password")]
        public string? NewPassword { get; set; }

        [Required(ErrorMessage = "Type the new password again.")]
        [DataType(DataType.Password)]
        [Display(Name = "Confirm new password")]
        public string? ConfirmPassword { get; set; }
    }
}
