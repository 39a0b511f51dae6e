namespace MfaReset.Okta;

/// <summary>A kind of Okta call: its name in logs and the rate-limit bucket its answers report on.</summary>
internal sealed record OktaOperation(string Name, OktaQuotaBucket Bucket)
{
    public static readonly OktaOperation GetUser = new("getUser", OktaQuotaBucket.UserLookup);
    public static readonly OktaOperation ListFactors = new("listFactors", OktaQuotaBucket.Factors);
    public static readonly OktaOperation GetFactor = new("getFactor", OktaQuotaBucket.Factors);
    public static readonly OktaOperation Challenge = new("verifyFactor.challenge", OktaQuotaBucket.FactorVerify);
    public static readonly OktaOperation VerifyPasscode = new("verifyFactor.passcode", OktaQuotaBucket.FactorVerify);
    public static readonly OktaOperation VerifyAnswer = new("verifyFactor.answer", OktaQuotaBucket.FactorVerify);
    public static readonly OktaOperation SendPush = new("verifyFactor.push", OktaQuotaBucket.FactorVerify);
    public static readonly OktaOperation PollPush = new("getFactorTransactionStatus", OktaQuotaBucket.PushPoll);
    public static readonly OktaOperation CancelPush = new("cancelFactorTransaction", OktaQuotaBucket.PushPoll);
    public static readonly OktaOperation SetPassword = new("updateUser.password", OktaQuotaBucket.PasswordUpdate);
    public static readonly OktaOperation UnlockUser = new("unlockUser", OktaQuotaBucket.Lifecycle);
    public static readonly OktaOperation ListAssignedRoles = new("listAssignedRolesForUser", OktaQuotaBucket.Roles);
    public static readonly OktaOperation RevokeSessions = new("revokeUserSessions", OktaQuotaBucket.Sessions);

    public override string ToString() => Name;
}
