using MfaReset.Web.Reset.Policy;


namespace MfaReset.Web.Tests.Pages;

/// <summary>Okta's cause texts, from the contract pack's bodies, become plain sentences; configured rules get browser checks.</summary>
public sealed class PasswordRulesTests
{
    [Theory]
    [InlineData("password: Passwords must be at least 8 characters in length", "Use at least 8 characters.")]
    [InlineData("password: Password requirements: at least 0 characters, an uppercase letter.", "Include an uppercase letter.")]
    [InlineData("password: Password requirements: at least 0 characters, a number.", "Include a number.")]
    [InlineData("Password has been used too recently. Password requirements: not one of your last 4 passwords.", "Choose a password you haven't used before: it can't be one of your last 4.")]
    [InlineData("Okta said something new", PasswordRules.Generic)]
    public void EachCauseBecomesAPlainSentence(string cause, string sentence) =>
        Assert.Equal([sentence], PasswordRules.Explain([cause]));

    [Fact]
    public void AListOfRequirementsBecomesOneSentenceEachWithoutRepeats()
    {
        var sentences = PasswordRules.Explain([
            "Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, a symbol, no parts of your username, does not include your first name, does not include your last name.",
            "password: Password requirements: at least 0 characters, an uppercase letter.",
        ]);

        Assert.Equal(
            [
                "Use at least 8 characters.", "Include a lowercase letter.", "Include an uppercase letter.", "Include a number.",
                "Include a symbol, such as ! or #.", "Don't use any part of your username.", "Don't include your first name.", "Don't include your last name.",
            ],
            sentences);
    }

    [Theory]
    [InlineData("be at least 12 characters long", "length:12")]
    [InlineData("include a lowercase letter, an uppercase letter and a number", "lower upper digit")]
    [InlineData("include a symbol", "symbol")]
    [InlineData("not be one of your last 4 passwords", "")]
    [InlineData("not contain parts of your username", "personal")]
    [InlineData("not contain your username, or your name or email address", "personal")]
    public void ConfiguredRulesGetTheChecksABrowserCanMake(string rule, string checks) =>
        Assert.Equal(checks, PasswordRules.ChecksOf(rule));

    /// <summary>The server's reading of a line is the script's (site.js): ASCII classes, UTF-16 length, any other character a symbol.</summary>
    [Theory]
    [InlineData("be at least 8 characters long", "Short1", false)]
    [InlineData("be at least 8 characters long", "Eight888", true)]
    [InlineData("include a lowercase letter, an uppercase letter and a number", "alllowercase12", false)]
    [InlineData("include a lowercase letter, an uppercase letter and a number", "Tomtorres1", true)]
    [InlineData("include a lowercase letter, an uppercase letter and a number", "écoleÉÉ12", false)] // É is not A-Z, as /[A-Z]/ says
    [InlineData("include a symbol", "Plain123", false)]
    [InlineData("include a symbol", "Ünder123", true)]
    [InlineData("not contain parts of your username", "Tomtorres1", false)]
    [InlineData("not contain parts of your username", "Harbor-Lights-9", true)]
    [InlineData("not be one of your last 4 passwords", "anything", true)]
    public void ALineIsMetExactlyAsTheChecklistMarksIt(string rule, string password, bool met) =>
        Assert.Equal(met, PasswordRules.IsMet(rule, password, ["tom", "torres", "tom.torres"]));
}
