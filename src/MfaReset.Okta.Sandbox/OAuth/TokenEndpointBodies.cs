namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>A refusal in Okta's words: status, OAuth <c>error</c> and <c>error_description</c>.</summary>
internal sealed record OAuthRefusal(int Status, string Error, string Description);

/// <summary>The token endpoint's success body.</summary>
internal sealed record TokenBody(
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn,
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string Scope);

/// <summary>The token endpoint's error body: <c>error</c> and <c>error_description</c>, not Okta's errorCode shape.</summary>
internal sealed record OAuthErrorBody(
    [property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error,
    [property: System.Text.Json.Serialization.JsonPropertyName("error_description")] string ErrorDescription);
