using System.ComponentModel.DataAnnotations;

namespace MfaReset.Web.Options;

/// <summary>
/// <c>Reset:PasswordComplexity</c>: the org's password policy in Okta's own terms (<c>settings.password.complexity</c>
/// and <c>age.historyCount</c>), the password page's checklist when the policy is not followed. Each field as Okta
/// names it; zero (or false) adds no line.
/// </summary>
public sealed class PasswordComplexityOptions
{
    [Range(0, 256)]
    public int MinLength { get; set; }

    [Range(0, 256)]
    public int MinLowerCase { get; set; }

    [Range(0, 256)]
    public int MinUpperCase { get; set; }

    [Range(0, 256)]
    public int MinNumber { get; set; }

    [Range(0, 256)]
    public int MinSymbol { get; set; }

    public bool ExcludeUsername { get; set; }

    /// <summary><c>firstName</c> and/or <c>lastName</c>.</summary>
    public IList<string> ExcludeAttributes { get; set; } = [];

    public bool ExcludeCommonPasswords { get; set; }

    [Range(0, 24)]
    public int HistoryCount { get; set; }

    /// <summary>As the Okta client reads a policy, so one function makes the checklist of either.</summary>
    public OktaPasswordComplexity ToOkta() =>
        new(MinLength, MinLowerCase, MinUpperCase, MinNumber, MinSymbol, ExcludeUsername, [.. ExcludeAttributes], ExcludeCommonPasswords, HistoryCount);
}
