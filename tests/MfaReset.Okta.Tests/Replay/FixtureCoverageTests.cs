using System.Reflection;
using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests.Replay;

/// <summary>
/// Fails when a fixture of an operation the client uses is not replayed by some theory, or when a
/// folder appears that nobody has classified, so new fixtures cannot be silently ignored.
/// </summary>
public sealed class FixtureCoverageTests
{
    [Fact]
    public void EveryFixtureFolderIsClassified()
    {
        var classified = FixtureCatalog.UsedOperations
            .Concat(FixtureCatalog.NeverCalled)
            .Concat(FixtureCatalog.NotCalledYet)
            .Concat(FixtureCatalog.NotFixtures)
            .Append(FixtureCatalog.Errors)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal([], ContractFixture.Folders().Where(folder => !classified.Contains(folder)));
        Assert.Equal([], classified.Where(folder => !ContractFixture.Folders().Contains(folder)));
    }

    [Fact]
    public void EveryFixtureOfAnOperationTheClientUsesIsReplayedByATheory()
    {
        var claimed = ClaimedFixtures();
        var required = FixtureCatalog.UsedOperations.Append(FixtureCatalog.Errors).SelectMany(ContractFixture.Files).ToArray();

        Assert.NotEmpty(required);
        Assert.Equal([], required.Where(file => !claimed.Contains(file)));
    }

    [Fact]
    public void EveryOperationFixtureLivesInTheFolderOfItsOperation()
    {
        var misplaced = FixtureCatalog.UsedOperations
            .SelectMany(ContractFixture.Files)
            .Select(ContractFixture.Load)
            .Where(f => f.Request is null || (f.Folder == "oauthToken" ? !IsOAuthFixture(f) : f.OperationId != f.Folder))
            .Select(f => f.RelativePath);

        Assert.Equal([], misplaced);
    }

    [Fact]
    public void EveryErrorFixtureIsAnOktaErrorBody()
    {
        var notErrors = ContractFixture.Files(FixtureCatalog.Errors)
            .Select(ContractFixture.Load)
            .Where(f => f.ErrorCode is null || f.Response.Status < 400 || f.Response.Body?["errorCode"]?.GetValue<string>() != f.ErrorCode)
            .Select(f => f.RelativePath);

        Assert.Equal([], notErrors);
    }

    /// <summary>oauthToken/ holds the token endpoint's answers and Management API calls made with a token (<c>api-call-*</c>).</summary>
    private static bool IsOAuthFixture(ContractFixture fixture) =>
        fixture.OperationId == "token" || Path.GetFileName(fixture.RelativePath).StartsWith("api-call-", StringComparison.Ordinal);

    /// <summary>The first argument of every data row of every theory in this assembly that names a fixture file.</summary>
    private static HashSet<string> ClaimedFixtures()
    {
        var theories = typeof(FixtureCoverageTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.GetCustomAttribute<TheoryAttribute>() is not null);

        return theories
            .SelectMany(m => m.GetCustomAttributes<MemberDataAttribute>().SelectMany(data => Rows(m, data)))
            .Select(row => row.FirstOrDefault() as string)
            .OfType<string>()
            .Where(arg => arg.EndsWith(".json", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The rows of a theory's data member (a static property, as every theory here has), read directly.</summary>
    private static IEnumerable<object?[]> Rows(MethodInfo theory, MemberDataAttribute data)
    {
        var type = data.MemberType ?? theory.DeclaringType!;
        var member = type.GetProperty(data.MemberName, BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy)
            ?? throw new InvalidOperationException($"{type.Name}.{data.MemberName} is not a public static property.");
        return ((System.Collections.IEnumerable)member.GetValue(null)!).Cast<object>().Select(row => row switch
        {
            ITheoryDataRow theoryRow => theoryRow.GetData(),
            object?[] values => values,
            _ => [row],
        });
    }
}
