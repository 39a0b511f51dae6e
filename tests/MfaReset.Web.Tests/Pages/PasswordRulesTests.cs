using MfaReset.Okta;
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
    [InlineData(PasswordRuleKind.MinLength, 12, "length:12")]
    [InlineData(PasswordRuleKind.Lowercase, 2, "lower")]
    [InlineData(PasswordRuleKind.Uppercase, 1, "upper")]
    [InlineData(PasswordRuleKind.Number, 1, "digit")]
    [InlineData(PasswordRuleKind.Symbol, 1, "symbol")]
    [InlineData(PasswordRuleKind.NoPersonalWords, 0, "personal")]
    [InlineData(PasswordRuleKind.History, 4, null)]
    [InlineData(PasswordRuleKind.NoCommonPassword, 0, null)]
    [InlineData(PasswordRuleKind.NoFirstName, 0, null)]
    public void EachRuleKindGetsTheCheckABrowserCanMake(PasswordRuleKind kind, int count, string? check) =>
        Assert.Equal(check, new PasswordRule(kind, count).Check);

    [Fact]
    public void AConfiguredSentenceIsALineWithoutACheck() =>
        Assert.Null(PasswordRule.Configured("include a lowercase letter, an uppercase letter and a number").Check);

    /// <summary>The server's reading of a line is the script's (site.js): ASCII classes, UTF-16 length, any other character a symbol.</summary>
    [Theory]
    [InlineData(PasswordRuleKind.MinLength, 8, "Short1", false)]
    [InlineData(PasswordRuleKind.MinLength, 8, "Eight888", true)]
    [InlineData(PasswordRuleKind.Uppercase, 1, "alllowercase12", false)]
    [InlineData(PasswordRuleKind.Uppercase, 1, "Tomtorres1", true)]
    [InlineData(PasswordRuleKind.Uppercase, 1, "écoleÉÉ12", false)] // É is not A-Z, as /[A-Z]/ says
    [InlineData(PasswordRuleKind.Lowercase, 1, "ÉCOLE12", false)]
    [InlineData(PasswordRuleKind.Number, 1, "NoDigits", false)]
    [InlineData(PasswordRuleKind.Number, 1, "One1", true)]
    [InlineData(PasswordRuleKind.Symbol, 1, "Plain123", false)]
    [InlineData(PasswordRuleKind.Symbol, 1, "Ünder123", true)]
    [InlineData(PasswordRuleKind.NoPersonalWords, 0, "Tomtorres1", false)]
    [InlineData(PasswordRuleKind.NoPersonalWords, 0, "Harbor-Lights-9", true)]
    [InlineData(PasswordRuleKind.History, 4, "anything", true)]
    [InlineData(PasswordRuleKind.NoCommonPassword, 0, "password", true)] // zxcvbn's check, not the checklist's: PasswordChecks refuses it
    public void ALineIsMetExactlyAsTheChecklistMarksIt(PasswordRuleKind kind, int count, string password, bool met) =>
        Assert.Equal(met, new PasswordRule(kind, count).IsMet(password, ["tom", "torres", "tom.torres"]));

    /// <summary>Okta's settings become one line each, in the policy's order; the numbers are carried, not written into English.</summary>
    [Fact]
    public void APolicyWithEveryRuleBecomesOneLineEach()
    {
        var rules = PasswordRule.From(EveryRule);

        Assert.Equal(
            [
                PasswordRule.MinLength(12), new(PasswordRuleKind.Lowercase, 2), new(PasswordRuleKind.Uppercase, 1), new(PasswordRuleKind.Number, 3),
                new(PasswordRuleKind.Symbol, 1), PasswordRule.Of(PasswordRuleKind.NoPersonalWords), PasswordRule.Of(PasswordRuleKind.NoFirstName),
                PasswordRule.Of(PasswordRuleKind.NoLastName), PasswordRule.Of(PasswordRuleKind.NoCommonPassword), PasswordRule.History(24),
            ],
            rules);
    }

    /// <summary>Every Okta setting there is, each set.</summary>
    internal static OktaPasswordComplexity EveryRule { get; } = new(12, 2, 1, 3, 1, true, ["firstName", "lastName"], true, 24);
}
