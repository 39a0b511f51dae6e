namespace MfaReset.Web.Options;

// Written by the options source generator at build time: each checks its options' annotations, descends
// into members marked [ValidateObjectMembers] and runs the options' own IValidatableObject rules.
// Registered through ValidatedOptions.AddValidatedOptions, which names the configuration section.

[OptionsValidator]
internal sealed partial class ResetOptionsValidator : IValidateOptions<ResetOptions>;

[OptionsValidator]
internal sealed partial class BrandingOptionsValidator : IValidateOptions<BrandingOptions>;

[OptionsValidator]
internal sealed partial class PasswordOptionsValidator : IValidateOptions<PasswordOptions>;

[OptionsValidator]
internal sealed partial class FlowStoreOptionsValidator : IValidateOptions<FlowStoreOptions>;

[OptionsValidator]
internal sealed partial class MetricsOptionsValidator : IValidateOptions<MetricsOptions>;

[OptionsValidator]
internal sealed partial class ReverseProxyOptionsValidator : IValidateOptions<ReverseProxyOptions>;

[OptionsValidator]
internal sealed partial class ConcurrencyOptionsValidator : IValidateOptions<ConcurrencyOptions>;
