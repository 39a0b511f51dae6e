using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace MfaReset.Web.Pages;

/// <summary>Small helpers for the views.</summary>
public static class ViewHelpers
{
    /// <summary>Whether the field has a validation error (for <c>aria-invalid</c> and the error style).</summary>
    public static bool HasError(this ModelStateDictionary modelState, string key)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        return modelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0;
    }

    /// <summary>
    /// A localized sentence with a link inside, the link's words between <c>{0}</c> and <c>{1}</c>
    /// ("If your password doesn't work, {0}reset your password{1}."): every word is encoded, only the
    /// link's tags are markup.
    /// </summary>
    public static IHtmlContent WithLink(string sentence, string href)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var start = sentence.IndexOf("{0}", StringComparison.Ordinal);
        var end = sentence.IndexOf("{1}", StringComparison.Ordinal);
        var content = new HtmlContentBuilder();
        if (start < 0 || end < start)
        {
            return content.Append(sentence);
        }

        return content
            .Append(sentence[..start])
            .AppendHtml("<a href=\"")
            .Append(href)
            .AppendHtml("\">")
            .Append(sentence[(start + 3)..end])
            .AppendHtml("</a>")
            .Append(sentence[(end + 3)..]);
    }
}
