using System.ComponentModel.DataAnnotations;

namespace MfaReset.Web.Options;

/// <summary>The portal's own password checks, made before Okta is asked. Bound from <c>Passwords</c>.</summary>
public sealed class PasswordOptions
{
    public const string SectionName = "Passwords";

    /// <summary>The optional breached-password range check.</summary>
    [Required, ValidateObjectMembers]
    public BreachCheckOptions BreachCheck { get; set; } = new();
}

/// <summary>
/// A breached-password range API queried with k-anonymity (the Pwned Passwords range API's format): only the
/// first five hex characters of the password's SHA-1 are sent, with padding asked for, and the answer's
/// suffixes are compared here. Off by default. Its failure never blocks a reset.
/// </summary>
public sealed class BreachCheckOptions : IValidatableObject
{
    /// <summary>Ask the range API before Okta.</summary>
    public bool Enabled { get; set; }

    /// <summary>The range endpoint; the five-character prefix is appended.</summary>
    public Uri RangeUrl { get; set; } = new("https://api.pwnedpasswords.com/range/");

    /// <summary>How long to wait for the answer before going on without it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:05")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && RangeUrl is not { IsAbsoluteUri: true, Scheme: "https" } && RangeUrl is not { IsLoopback: true })
        {
            yield return new("Passwords:BreachCheck:RangeUrl must be an absolute https URL (http only on loopback).", [nameof(RangeUrl)]);
        }
    }
}
