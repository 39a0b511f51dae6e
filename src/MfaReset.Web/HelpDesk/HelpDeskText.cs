using MfaReset.Web.Http;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.HelpDesk;

/// <summary>The console's words for Okta's and the portal's states: keys of the shared resources.</summary>
public static class HelpDeskText
{
    public static string Status(OktaUserStatus status) => status switch
    {
        OktaUserStatus.Active => "Active",
        OktaUserStatus.LockedOut => "Locked out",
        OktaUserStatus.PasswordExpired => "Password expired",
        OktaUserStatus.Recovery => "In recovery (a reset is under way)",
        OktaUserStatus.Suspended => "Suspended",
        OktaUserStatus.Deprovisioned => "Deactivated",
        OktaUserStatus.Staged or OktaUserStatus.Provisioned => "Not yet activated",
        _ => "Unknown",
    };

    public static string Provider(CredentialsProvider provider) => provider switch
    {
        CredentialsProvider.Okta => "Okta",
        CredentialsProvider.Import => "Okta (imported)",
        CredentialsProvider.ActiveDirectory => "Active Directory",
        CredentialsProvider.Ldap => "LDAP directory",
        CredentialsProvider.Federation => "Identity provider (federation)",
        CredentialsProvider.Social => "Social sign-in",
        _ => "Unknown",
    };

    public static string FactorStatus(OktaFactorStatus status) => status == OktaFactorStatus.Active ? "in use" : "not in use";

    public static string Purpose(FlowPurpose purpose) => purpose switch
    {
        FlowPurpose.Unlock => "Unlock",
        FlowPurpose.CallerCheck => "Help desk check",
        _ => "Password reset",
    };

    /// <summary>A flow's outcome; for an ended flow the text's <c>{0}</c> is its problem page's slug (the same in every language).</summary>
    public static string Outcome(FlowStage stage, FlowProblem? problem) => stage switch
    {
        FlowStage.Identified => "Username entered",
        FlowStage.Challenged => "Verifying",
        FlowStage.Verified => "Verified",
        FlowStage.PasswordChanged => "Password changed",
        FlowStage.Unlocked => "Unlocked",
        FlowStage.Expired => "Expired",
        FlowStage.Locked => "Stopped: too many attempts",
        _ => problem is null ? "Ended" : "Ended: {0}",
    };

    /// <summary>The <c>{0}</c> of <see cref="Outcome"/>: the problem page's slug, or empty.</summary>
    public static string ProblemSlug(FlowProblem? problem) => problem is { } p ? ProblemPages.SlugOf(p) : string.Empty;
}
