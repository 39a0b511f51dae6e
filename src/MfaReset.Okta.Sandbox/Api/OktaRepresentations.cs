using MfaReset.Okta.Sandbox.Control;
using MfaReset.Okta.Sandbox.Org;
using MfaReset.Okta.Sandbox.Wire;

namespace MfaReset.Okta.Sandbox.Api;

/// <summary>Turns org state into Okta's JSON, with links under the sandbox's own org URL.</summary>
internal sealed class OktaRepresentations(OrgUrl orgUrl)
{
    private static readonly LinkHints Get = new(["GET"]);
    private static readonly LinkHints Post = new(["POST"]);
    private static readonly LinkHints Delete = new(["DELETE"]);
    private static readonly LinkHints GetDelete = new(["GET", "DELETE"]);

    // The org's one user type and its profile schema (every org has a default user type; ids of Okta's 20-character form).
    private const string DefaultUserTypeId = "oty1mfaresetdefault0";
    private const string DefaultUserSchemaId = "osc1mfaresetdefault0";

    public UserBody User(OrgUser user) => UserWithETag(user).Body;

    /// <summary>The user and the <c>ETag</c> of that very version, read under one lock.</summary>
    public (UserBody Body, string ETag) UserWithETag(OrgUser user)
    {
        var seed = user.Seed;
        lock (user.Gate)
        {
            // A STAGED user was never activated and never signed in: Okta writes both as null (createUser example).
            var staged = user.Status == "STAGED";
            return (new UserBody(
                seed.Id,
                user.Status,
                seed.Created,
                Activated: staged ? null : seed.Created.AddMinutes(1),
                user.StatusChanged,
                LastLogin: staged ? null : seed.Created.AddDays(2),
                user.LastUpdated,
                // Users who sign in at an identity provider have no password in Okta: no passwordChanged, no password credential.
                seed.CredentialsProvider.HasPassword ? user.PasswordChanged : null,
                new UserTypeRef(DefaultUserTypeId),
                new UserProfile(seed.FirstName, seed.LastName, seed.DisplayName, seed.Login, seed.Login, seed.MobilePhone),
                seed.CredentialsProvider.HasPassword
                    ? new UserCredentials(new EmptyObject(), new RecoveryQuestion("What is the food you least liked as a child?"), PrimaryEmail(seed), Provider(seed))
                    : new UserCredentials(null, null, PrimaryEmail(seed), Provider(seed)),
                UserLinks(seed.Id, user.Status)), user.ETag);
        }
    }

    /// <summary>The user's role assignments, made directly to the user or to a group of theirs, as Okta lists them.</summary>
    public IReadOnlyList<RoleBody> Roles(SeedUser user) =>
        [
            .. user.Roles.Select(type => Role(type, user.Created, "USER", UserUrl(user.Id))),
            .. user.GroupIds.Select(AdminGroups.Find).OfType<OrgGroup>().SelectMany(g => GroupRoles(g, user.Created)),
        ];

    /// <summary>The role assignments of a group (<c>GET /api/v1/groups/{id}/roles</c>).</summary>
    public IReadOnlyList<RoleBody> GroupRoles(OrgGroup group, DateTimeOffset created) =>
        [.. group.Roles.Select(type => Role(type, created, "GROUP", $"{orgUrl.Value}/api/v1/groups/{group.Id}"))];

    private static RoleBody Role(string type, DateTimeOffset created, string assignmentType, string assignee) => new(
        "ra" + type.ToLowerInvariant().Replace("_", "", StringComparison.Ordinal),
        RoleLabel(type),
        type,
        "ACTIVE",
        created,
        created,
        assignmentType,
        new Dictionary<string, Link> { ["assignee"] = new(assignee) });

    private static string RoleLabel(string type) => type switch
    {
        "SUPER_ADMIN" => "Super Organization Administrator",
        "ORG_ADMIN" => "Organization Administrator",
        "HELP_DESK_ADMIN" => "Help Desk Administrator",
        "APP_ADMIN" => "Application Administrator",
        "USER_ADMIN" => "Group Administrator",
        _ => type,
    };

    // The login is the primary email, verified, for every seeded user.
    private static CredentialEmail[] PrimaryEmail(SeedUser seed) => [new(seed.Login, "VERIFIED", "PRIMARY")];

    private static CredentialsProvider Provider(SeedUser seed) => new(seed.CredentialsProvider.Type, seed.CredentialsProvider.Name);

    public FactorBody Factor(SeedUser user, SeedFactor factor)
    {
        var links = new Dictionary<string, Link>();
        if (factor.Kind == SandboxFactorKind.SecurityQuestion)
        {
            // Okta links the catalogue of questions; the sandbox does not serve it (the portal never offers questions).
            links["questions"] = new(UserUrl(user.Id) + "/factors/questions", Get);
        }

        links["verify"] = new(FactorUrl(user, factor) + "/verify", Post);
        links["self"] = new(FactorUrl(user, factor), GetDelete);
        links["user"] = new(UserUrl(user.Id), Get);
        return new FactorBody(
            factor.Id, factor.FactorType, factor.Provider, VendorName: factor.Provider, Status: "ACTIVE",
            factor.Created, LastUpdated: factor.Created, Profile(user, factor), links);
    }

    /// <summary>200 <c>CHALLENGE</c> after an SMS, call or email went out (Okta's email challenge has no profile).</summary>
    public VerifyBody Challenge(SeedUser user, SeedFactor factor) =>
        new(ExpiresAt: null, "CHALLENGE", factor.IsPhone ? new FactorProfile(factor.PhoneNumber, factor.PhoneExtension) : null, VerifyAndFactorLinks(user, factor));

    public static VerifyBody Success() => new(ExpiresAt: null, "SUCCESS");

    /// <summary>The push answer: 201 right after the challenge (<paramref name="isPoll"/> false) and every poll after.</summary>
    public VerifyBody Push(PushTransaction transaction, PushState state, bool isPoll)
    {
        var user = transaction.User.Seed;
        var factor = transaction.Factor;
        var device = new FactorProfile(CredentialId: user.Login);
        if (state == PushState.Approved)
        {
            return Success();
        }

        if (state is PushState.Rejected or PushState.TimedOut or PushState.Cancelled)
        {
            // Okta documents four poll results, WAITING, SUCCESS, REJECTED and TIMEOUT (Factors API, "Verify a push
            // factor challenge"; factor-types.json pollResults) and no answer after a cancel: a cancelled push is
            // reported as the documented result of a push nobody answered, not as an invented CANCELLED.
            var result = state == PushState.Rejected ? "REJECTED" : "TIMEOUT";
            return new VerifyBody(ExpiresAt: null, result, device, VerifyAndFactorLinks(user, factor));
        }

        // Okta's 201 carries no profile; the poll answers do. A scripted outcome also answers 201 WAITING.
        var transactionUrl = $"{FactorUrl(user, factor)}/transactions/{transaction.Id}";
        return new VerifyBody(
            transaction.ExpiresAt,
            "WAITING",
            isPoll ? device : null,
            new Dictionary<string, Link> { ["poll"] = new(transactionUrl, Get), ["cancel"] = new(transactionUrl, Delete) },
            transaction.CorrectAnswer is { } answer ? new VerifyEmbedded(new NumberChallenge(answer)) : null);
    }

    private Dictionary<string, Link> VerifyAndFactorLinks(SeedUser user, SeedFactor factor) => new()
    {
        ["verify"] = new(FactorUrl(user, factor) + "/verify", Post),
        ["factor"] = new(FactorUrl(user, factor), GetDelete),
    };

    private static FactorProfile Profile(SeedUser user, SeedFactor factor) => factor.Kind switch
    {
        SandboxFactorKind.Sms or SandboxFactorKind.Call => new FactorProfile(PhoneNumber: factor.PhoneNumber, PhoneExtension: factor.PhoneExtension),
        SandboxFactorKind.Email => new FactorProfile(Email: factor.Email),
        SandboxFactorKind.OktaVerifyPush => new FactorProfile(
            CredentialId: user.Login, DeviceType: factor.Device!.DeviceType, Name: factor.Device.Name, Platform: factor.Device.Platform, Version: factor.Device.Version),
        SandboxFactorKind.SecurityQuestion => new FactorProfile(Question: factor.Question!.Key, QuestionText: factor.Question.Text),
        _ => new FactorProfile(CredentialId: user.Login),
    };

    // As the spec's full user example (APIDevicesListAllUsersResponse) writes them: operations with "method": "POST";
    // self, schema and type without one.
    private Dictionary<string, Link> UserLinks(string userId, string status)
    {
        var user = UserUrl(userId);
        var links = new Dictionary<string, Link>
        {
            ["self"] = new(user),
            ["schema"] = new($"{orgUrl.Value}/api/v1/meta/schemas/user/{DefaultUserSchemaId}"),
            ["type"] = new($"{orgUrl.Value}/api/v1/meta/types/user/{DefaultUserTypeId}"),
        };
        void Operation(string name, string path) => links[name] = new(user + path, Method: "POST");
        if (status == "STAGED")
        {
            Operation("activate", "/lifecycle/activate");
            Operation("deactivate", "/lifecycle/deactivate");
            return links;
        }

        if (status == "SUSPENDED")
        {
            Operation("unsuspend", "/lifecycle/unsuspend");
            Operation("deactivate", "/lifecycle/deactivate");
            return links;
        }

        if (status == "LOCKED_OUT")
        {
            Operation("unlock", "/lifecycle/unlock");
        }

        if (status == "ACTIVE")
        {
            Operation("suspend", "/lifecycle/suspend");
        }

        Operation("resetPassword", "/lifecycle/reset_password");
        Operation("resetFactors", "/lifecycle/reset_factors");
        Operation("expirePassword", "/lifecycle/expire_password");
        Operation("forgotPassword", "/credentials/forgot_password");
        Operation("changeRecoveryQuestion", "/credentials/change_recovery_question");
        Operation("deactivate", "/lifecycle/deactivate");
        Operation("changePassword", "/credentials/change_password");
        return links;
    }

    private string UserUrl(string userId) => $"{orgUrl.Value}/api/v1/users/{userId}";

    private string FactorUrl(SeedUser user, SeedFactor factor) => $"{UserUrl(user.Id)}/factors/{factor.Id}";
}
