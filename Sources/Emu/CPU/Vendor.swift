/// The CPU vendor a model imitates. It decides CPUID, which virtualization extension exists
/// (VMX or SVM), a few decoding differences (APM vol. 3 vs SDM vol. 2) and undefined flag values.
public enum Vendor: Sendable, Equatable {
    case intel
    case amd
}
