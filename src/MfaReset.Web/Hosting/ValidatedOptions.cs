using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MfaReset.Web.Hosting;

/// <summary>Options bound from a configuration section and checked by a generated validator when the host starts.</summary>
internal static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and registers <typeparamref name="TValidator"/>
    /// (an <c>[OptionsValidator]</c>) to refuse the start when they are invalid. The validator is handed the
    /// section's name, so its messages start from the key, e.g. <c>Reset.Limits.SendsPerFlow</c> for
    /// <c>Reset:Limits:SendsPerFlow</c>, rather than from the class name.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : IValidateOptions<TOptions>, new()
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section, new TValidator())));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class SectionValidator<TOptions>(string section, IValidateOptions<TOptions> generated) : IValidateOptions<TOptions>
        where TOptions : class
    {
        // The generator roots its member paths at the options name, or at the class name for the unnamed default.
        public ValidateOptionsResult Validate(string? name, TOptions options) =>
            generated.Validate(string.IsNullOrEmpty(name) ? section : name, options);
    }
}
