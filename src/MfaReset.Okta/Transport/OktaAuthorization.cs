namespace MfaReset.Okta;

/// <summary>How the client proves to Okta who it is (<see cref="OktaOptions.Authorization"/>).</summary>
public enum OktaAuthorization
{
    /// <summary><c>Authorization: SSWS &lt;api token&gt;</c>: a token that acts as the admin who created it.</summary>
    Ssws,

    /// <summary>
    /// An OAuth 2.0 service app: the client credentials grant at <c>{orgUrl}/oauth2/v1/token</c> with a client
    /// assertion signed by the app's private key, then <c>Authorization: Bearer</c> (or <c>DPoP</c> with a proof).
    /// </summary>
    PrivateKeyJwt,
}
