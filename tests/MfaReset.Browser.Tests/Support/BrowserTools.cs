using MfaReset.Testing;

namespace MfaReset.Browser.Tests.Support;

/// <summary>
/// Where the two outside tools live: Debian's Chromium and axe-core from npm. test.sh installs both and
/// exports their paths; without it the defaults below apply. A missing tool fails the run (a browser
/// suite that skips itself in CI proves nothing).
/// </summary>
public static class BrowserTools
{
    private const string InstallHint = "Run ./test.sh from the repository root: it installs what is missing.";

    /// <summary><c>MFARESET_CHROMIUM</c>, else <c>/usr/bin/chromium</c>.</summary>
    public static string ChromiumPath => Existing(
        "MFARESET_CHROMIUM",
        "/usr/bin/chromium",
        "Debian's Chromium");

    /// <summary><c>MFARESET_AXE_JS</c>, else the copy test.sh installs under <c>tests/MfaReset.Browser.Tests/.tools</c>.</summary>
    public static string AxeScriptPath => Existing(
        "MFARESET_AXE_JS",
        Path.Combine(SharedPaths.RepositoryRoot, "tests", "MfaReset.Browser.Tests", ".tools", "node_modules", "axe-core", "axe.min.js"),
        "axe-core");

    private static string Existing(string variable, string fallback, string what)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        var path = string.IsNullOrWhiteSpace(configured) ? fallback : configured;
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{what} was expected at {path} (set {variable} to override). {InstallHint}", path);
    }
}
