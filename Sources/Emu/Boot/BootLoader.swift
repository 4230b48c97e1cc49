/// Chooses the boot protocol of a kernel image and loads it: Multiboot 1 (header in the first
/// 8 KiB) or, if there is none, Multiboot 2 (header in the first 32 KiB).
public enum BootLoader {
    /// Loads `bytes` into `memory` and returns the entry state to apply with `BootImage.enter`.
    /// `acpiRSDP` (the firmware's RSDP, if any) goes into the Multiboot 2 ACPI tags; `modules`
    /// are loaded above the kernel.
    public static func load(_ bytes: [UInt8], into memory: PhysicalMemory, commandLine: String,
                            acpiRSDP: [UInt8] = [], modules: [BootModule] = []) throws(BootError) -> BootImage {
        guard !bytes.isEmpty else { throw .emptyImage }
        guard UInt64(bytes.count) <= memory.size else {
            throw .imageLargerThanRAM(imageSize: UInt64(bytes.count), ramSize: memory.size)
        }
        if let header = try MultibootHeader.find(in: bytes) {
            return try Multiboot1Loader.load(bytes, header: header, into: memory, commandLine: commandLine,
                                             modules: modules)
        }
        if let header = try Multiboot2Header.find(in: bytes) {
            return try Multiboot2Loader.load(bytes, header: header, into: memory, commandLine: commandLine,
                                             acpiRSDP: acpiRSDP, modules: modules)
        }
        throw .noMultibootHeader(isELF: ELFImage.isELF(bytes))
    }
}
