namespace MfaReset.Testing;

/// <summary>Finds the checkout's root and the <c>shared/</c> folder that CI places beside it.</summary>
public static class SharedPaths
{
    /// <summary>The folder that holds <c>MfaReset.sln</c>.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary><c>../shared/okta-contract</c> relative to the checkout. Tests fail, never skip, when it is missing.</summary>
    public static string OktaContract
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "okta-contract"));
            return Directory.Exists(path)
                ? path
                : throw new DirectoryNotFoundException($"The Okta contract fixtures were expected at {path} (shared/ beside the checkout).");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MfaReset.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No MfaReset.sln above {AppContext.BaseDirectory}.");
    }
}
