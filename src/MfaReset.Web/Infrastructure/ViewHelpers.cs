using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace MfaReset.Web.Infrastructure;

/// <summary>Small helpers for the views.</summary>
public static class ViewHelpers
{
    /// <summary>Whether the field has a validation error (for <c>aria-invalid</c> and the error style).</summary>
    public static bool HasError(this ModelStateDictionary modelState, string key)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        return modelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0;
    }
}
