using System.Globalization;
using System.Text.Json.Nodes;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Okta.Sandbox.Org;
using Microsoft.AspNetCore.Http.HttpResults;
using MfaReset.Okta.Sandbox.Wire;

namespace MfaReset.Okta.Sandbox.Api;

/// <summary>
/// The org-wide role and group reads behind a list of administrators, in Okta's shapes (spec
/// <c>listUsersWithRoleAssignments</c>, <c>listGroups</c>, <c>listGroupAssignedRoles</c>, <c>listGroupUsers</c>)
/// with Okta's cursor paging: <c>after</c> is the last id of the previous page; the next page is named by
/// <c>_links.next</c> in the body (role assignees) or a <c>Link: &lt;...&gt;; rel="next"</c> header (groups, members).
/// </summary>
internal static class RoleDirectoryEndpoints
{
    public static void MapRoleDirectory(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/iam/assignees/users", ListRoleAssignees).WithMetadata(new OktaOperationMetadata(OktaOperations.ListUsersWithRoleAssignments));
        var groups = app.MapGroup("/api/v1/groups");
        groups.MapGet("/", ListGroups).WithMetadata(new OktaOperationMetadata(OktaOperations.ListGroups));
        groups.MapGet("/{groupId}/roles", ListGroupRoles).WithMetadata(new OktaOperationMetadata(OktaOperations.ListGroupAssignedRoles));
        groups.MapGet("/{groupId}/users", ListGroupUsers).WithMetadata(new OktaOperationMetadata(OktaOperations.ListGroupUsers));
    }

    private static ContentHttpResult ListRoleAssignees(HttpRequest request, SandboxOrg org, OrgUrl orgUrl)
    {
        var admins = org.Users.Where(u => u.Seed.Roles.Count > 0).OrderBy(u => u.Seed.Id, StringComparer.Ordinal).Select(u => u.Seed.Id);
        var (page, next) = Page(admins, request, defaultLimit: 100, maxLimit: 100);
        var links = new JsonObject();
        if (next is not null)
        {
            links["next"] = new JsonObject { ["href"] = PageUrl(orgUrl, "/api/v1/iam/assignees/users", next, request) };
        }

        return Json(new JsonObject
        {
            ["value"] = new JsonArray([.. page.Select(id => (JsonNode)new JsonObject
            {
                ["id"] = id,
                ["orn"] = $"orn:okta:00osandboxorg0000001:users:{id}",
                ["_links"] = new JsonObject
                {
                    ["self"] = new JsonObject { ["href"] = $"{orgUrl.Value}/api/v1/users/{id}" },
                    ["roles"] = new JsonObject { ["href"] = $"{orgUrl.Value}/api/v1/users/{id}/roles" },
                },
            })]),
            ["_links"] = links,
        });
    }

    private static ContentHttpResult ListGroups(HttpContext context, OrgUrl orgUrl)
    {
        var (page, next) = Page(AdminGroups.All.Select(g => g.Id), context.Request, defaultLimit: 200, maxLimit: 1000);
        LinkNext(context, orgUrl, "/api/v1/groups", next);
        return Json(new JsonArray([.. page.Select(id => AdminGroups.Find(id)!).Select(g => (JsonNode)new JsonObject
        {
            ["id"] = g.Id,
            ["created"] = "2026-01-05T08:00:00.000Z",
            ["lastUpdated"] = "2026-01-05T08:00:00.000Z",
            ["lastMembershipUpdated"] = "2026-01-05T08:00:00.000Z",
            ["objectClass"] = new JsonArray("okta:user_group"),
            ["type"] = g.Type,
            ["profile"] = new JsonObject { ["name"] = g.Name, ["description"] = g.Name },
            ["_links"] = new JsonObject { ["self"] = new JsonObject { ["href"] = $"{orgUrl.Value}/api/v1/groups/{g.Id}" } },
        })]));
    }

    private static IResult ListGroupRoles(string groupId, OktaRepresentations wire, HttpRequest request) =>
        AdminGroups.Find(groupId) is { } group
            ? TypedResults.Json(wire.GroupRoles(group, new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero)), OktaJson.Context.IReadOnlyListRoleBody)
            : OktaErrors.ResourceNotFound(request.Path.Value ?? "");

    private static IResult ListGroupUsers(string groupId, HttpContext context, SandboxOrg org, OrgUrl orgUrl, OktaRepresentations wire)
    {
        if (AdminGroups.Find(groupId) is null)
        {
            return OktaErrors.ResourceNotFound(context.Request.Path.Value ?? "");
        }

        var members = org.Users.Where(u => u.Seed.GroupIds.Contains(groupId, StringComparer.Ordinal)).ToDictionary(u => u.Seed.Id, StringComparer.Ordinal);
        var (page, next) = Page(members.Keys.Order(StringComparer.Ordinal), context.Request, defaultLimit: 1000, maxLimit: 1000);
        LinkNext(context, orgUrl, $"/api/v1/groups/{groupId}/users", next);
        return TypedResults.Json<IReadOnlyList<UserBody>>([.. page.Select(id => wire.User(members[id]))], OktaJson.Context.IReadOnlyListUserBody);
    }

    /// <summary>The ids after the request's <c>after</c> cursor, at most its <c>limit</c>; and the cursor of the next page, if any.</summary>
    private static (IReadOnlyList<string> Page, string? Next) Page(IEnumerable<string> ids, HttpRequest request, int defaultLimit, int maxLimit)
    {
        var limit = int.TryParse(request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked > 0 ? Math.Min(asked, maxLimit) : defaultLimit;
        var after = request.Query["after"].ToString();
        var rest = after.Length == 0 ? ids : ids.Where(id => string.CompareOrdinal(id, after) > 0);
        var page = rest.Take(limit + 1).ToList();
        return page.Count > limit ? (page[..limit], page[limit - 1]) : (page, null);
    }

    private static string PageUrl(OrgUrl orgUrl, string path, string after, HttpRequest request) =>
        $"{orgUrl.Value}{path}?after={Uri.EscapeDataString(after)}" + (request.Query["limit"].Count > 0 ? $"&limit={Uri.EscapeDataString(request.Query["limit"].ToString())}" : "");

    private static void LinkNext(HttpContext context, OrgUrl orgUrl, string path, string? next)
    {
        var self = $"<{orgUrl.Value}{path}>; rel=\"self\"";
        context.Response.Headers.Append("Link", next is null ? self : $"{self}, <{PageUrl(orgUrl, path, next, context.Request)}>; rel=\"next\"");
    }

    private static ContentHttpResult Json(JsonNode body) => TypedResults.Text(body.ToJsonString(), "application/json", System.Text.Encoding.UTF8);
}
