namespace MfaReset.Web.Reset.OktaCalls;

/// <summary>
/// The Okta calls a flow step makes, as the flow names them: the key of <see cref="OktaLatency"/>'s samples
/// (a decoy step waits as long as its real call) and the operation in the flow's Okta log lines. Not the
/// Okta client's own <c>OktaOperation</c>, which names API endpoints and their rate-limit buckets.
/// </summary>
public enum FlowOktaCall
{
    GetUser,
    ListFactors,
    Challenge,
    VerifyCode,
    SendPush,
    PollPush,
    CancelPush,
    SetPassword,
    Unlock,
    ListAssignedRoles,
}
