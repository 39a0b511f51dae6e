using Microsoft.Net.Http.Headers;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>Setting a password, unlocking, ending sessions: the user-level calls after a verification.</summary>
internal sealed class UserLifecycle(SandboxOrg org, SandboxOptions options)
{
    /// <summary>
    /// <c>POST /api/v1/users/{id}</c> with a password. Complexity rules always apply; history and the default
    /// policy's minimum age (<see cref="SandboxPolicyOptions.MinAgeMinutes"/>, for its members) only with
    /// <paramref name="strict"/>: the spec's <c>strict</c> "validates against minimum age and history password
    /// policy", which Okta skips for an admin set-password otherwise. A locked-out user
    /// stays locked out: unlocking is a separate call. A PASSWORD_EXPIRED or RECOVERY user becomes ACTIVE
    /// (the new password is theirs to sign in with). Suspended and deprovisioned users cannot be changed;
    /// users of an identity provider (FEDERATION, SOCIAL) have no password to set. With <paramref name="ifMatch"/>
    /// (the request's <c>If-Match</c> tags; null when it sent no such header) the set applies only to the version
    /// a tag names, checked and applied under the user's lock, so two sets on one tag cannot both apply.
    /// </summary>
    public SetPasswordOutcome SetPassword(OrgUser user, string password, bool strict, IReadOnlyList<EntityTagHeaderValue>? ifMatch)
    {
        var hash = org.HashPassword(password);
        lock (user.Gate)
        {
            if (ifMatch is not null && !user.Matches(ifMatch))
            {
                return new SetPasswordOutcome.UserChanged();
            }

            if (user.Status is "SUSPENDED" or "DEPROVISIONED")
            {
                return new SetPasswordOutcome.NotAllowedInStatus();
            }

            if (!user.Seed.CredentialsProvider.HasPassword)
            {
                return new SetPasswordOutcome.NoPasswordCredential();
            }

            var broken = PasswordPolicy.Check(password, user.Seed.Login);
            if (strict && user.PasswordHistory.Any(old => System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(old, hash)))
            {
                broken.Add(PasswordRule.RecentlyUsed);
            }

            if (strict && MinimumAgeOf(user) is { } minimumAge && org.Clock.GetUtcNow() < user.PasswordChanged + minimumAge)
            {
                broken.Add(PasswordRule.MinimumAge);
            }

            if (broken.Count > 0)
            {
                return new SetPasswordOutcome.Rejected(broken);
            }

            user.PasswordHistory.Insert(0, hash);
            if (user.PasswordHistory.Count > PasswordPolicy.HistoryCount)
            {
                user.PasswordHistory.RemoveAt(user.PasswordHistory.Count - 1);
            }

            var now = org.Clock.GetUtcNow();
            user.PasswordChanged = now;
            user.Changed(now);
            if (user.Status is "PASSWORD_EXPIRED" or "RECOVERY")
            {
                user.Status = "ACTIVE";
                user.StatusChanged = now;
            }

            return new SetPasswordOutcome.Changed();
        }
    }

    /// <summary>The minimum age of the user's policy: the default policy's setting, for everyone outside the help-desk group (whose policy has none).</summary>
    private TimeSpan? MinimumAgeOf(OrgUser user) =>
        options.Policy.MinAgeMinutes > 0 && !user.Seed.GroupIds.Contains(RecoveryPolicies.HelpDeskGroupId)
            ? TimeSpan.FromMinutes(options.Policy.MinAgeMinutes)
            : null;

    /// <summary><c>POST .../lifecycle/unlock</c>: a locked-out user becomes ACTIVE; an active one stays so.</summary>
    public UnlockOutcome Unlock(OrgUser user)
    {
        lock (user.Gate)
        {
            if (user.Status == "SUSPENDED")
            {
                return UnlockOutcome.NotAllowedInStatus;
            }

            if (user.Status == "LOCKED_OUT")
            {
                var now = org.Clock.GetUtcNow();
                user.Status = "ACTIVE";
                user.FactorsLocked = false;
                user.ConsecutiveFailures = 0;
                user.StatusChanged = now;
                user.Changed(now);
            }

            return UnlockOutcome.Unlocked;
        }
    }

    /// <summary>
    /// <c>DELETE /api/v1/users/{id}/sessions</c> (with <c>?oauthTokens=true</c> the user's OAuth tokens too):
    /// sessions and tokens are not modelled, only when they were revoked.
    /// </summary>
    public void RevokeSessions(OrgUser user, bool oauthTokens, bool forgetDevices)
    {
        lock (user.Gate)
        {
            var now = org.Clock.GetUtcNow();
            user.SessionsRevoked = now;
            user.DevicesForgotten = forgetDevices ? now : user.DevicesForgotten;
            if (oauthTokens)
            {
                user.OAuthTokensRevoked = now;
            }
        }
    }

    /// <summary>Whether <paramref name="password"/> is the user's current password (for tests that check a reset took).</summary>
    public bool IsCurrentPassword(OrgUser user, string password)
    {
        var hash = org.HashPassword(password);
        lock (user.Gate)
        {
            return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(user.PasswordHistory[0], hash);
        }
    }
}
