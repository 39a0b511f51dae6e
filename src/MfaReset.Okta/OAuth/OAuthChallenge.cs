using System.Net.Http.Headers;

namespace MfaReset.Okta;

/// <summary>
/// The parameters of an OAuth <c>WWW-Authenticate</c> challenge (<c>Bearer</c> or <c>DPoP</c>), in which Okta's
/// Management API reports token problems (<c>insufficient_scope</c>, <c>invalid_dpop_proof</c>, <c>use_dpop_nonce</c>)
/// instead of a JSON body.
/// </summary>
internal sealed record OAuthChallenge(string Scheme, string? Error, string? ErrorDescription, string? Scope)
{
    public static OAuthChallenge Parse(AuthenticationHeaderValue header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var parameters = Parameters(header.Parameter ?? "");
        return new OAuthChallenge(
            header.Scheme,
            parameters.GetValueOrDefault("error"),
            parameters.GetValueOrDefault("error_description"),
            parameters.GetValueOrDefault("scope"));
    }

    /// <summary>The first challenge of <paramref name="response"/> that names an OAuth error, if any.</summary>
    public static OAuthChallenge? Of(HttpResponseMessage response) =>
        response.Headers.WwwAuthenticate.Select(Parse).FirstOrDefault(challenge => challenge.Error is not null);

    /// <summary>Comma-separated <c>name="value"</c> (or bare token) pairs; commas inside quotes belong to the value.</summary>
    private static Dictionary<string, string> Parameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var equals = text.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var name = text[i..equals].Trim();
            i = equals + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var end = i + 1;
                var builder = new System.Text.StringBuilder();
                while (end < text.Length && text[end] != '"')
                {
                    if (text[end] == '\\' && end + 1 < text.Length)
                    {
                        end++;
                    }

                    builder.Append(text[end]);
                    end++;
                }

                value = builder.ToString();
                i = end + 1;
            }
            else
            {
                var end = text.IndexOf(',', i);
                end = end < 0 ? text.Length : end;
                value = text[i..end].Trim();
                i = end;
            }

            result.TryAdd(name, value);
        }

        return result;
    }
}
