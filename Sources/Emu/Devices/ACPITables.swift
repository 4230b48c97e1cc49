/// The ACPI tables the machine's firmware leaves in the BIOS area (ACPI 6.5, chapter 5): RSDP at
/// F0000h (found by the scan of E0000h-FFFFFh, 5.2.5.1), and from E0000h the RSDT, XSDT, FADT,
/// FACS, DSDT, MADT and HPET tables. Every table's bytes sum to zero.
///
/// What they describe is this machine: PM1a event block 600h, PM1a control 604h (S5 = SLP_TYP
/// 0, QEMU's PIIX4 value, which the DSDT's \_S5 package gives), the PM timer at 608h (24 bits,
/// 3.579545 MHz), SCI on IRQ 9, the reset register 0CF9h (value 6), one local APIC per processor
/// (APIC ID = processor UID = index), the IOAPIC at FEC00000h with GSI base 0, the interrupt
/// source override IRQ0 -> GSI 2 (and SCI IRQ 9 level, active high), LINT1 as NMI on every
/// processor, and the HPET at FED00000h.
public struct ACPITables: Sendable {
    public static let rsdpAddress: UInt64 = 0xF_0000
    public static let tablesAddress: UInt64 = 0xE_0000
    public static let oemID: [UInt8] = Array("SWEMU ".utf8)
    public static let oemTableID: [UInt8] = Array("SWEMUPC ".utf8)
    public static let pmBase: UInt16 = 0x600
    public static let sciIRQ: UInt16 = 9
    public static let resetPort: UInt64 = 0xCF9
    public static let resetValue: UInt8 = 6

    /// The RSDP (36 bytes, revision 2).
    public private(set) var rsdp: [UInt8] = []
    /// The tables from `tablesAddress` on.
    public private(set) var tables: [UInt8] = []

    public init(cpuCount: Int) {
        var t = ACPITableBuffer(base: ACPITables.tablesAddress)
        // FACS: 64-byte aligned (5.2.10).
        t.align(64)
        let facs = t.address
        var f = [UInt8](repeating: 0, count: 64)
        f.put("FACS", at: 0)
        f.put32(64, at: 4)
        f[32] = 2                                                   // version
        t.append(f)
        let dsdt = t.add(table("DSDT", revision: 2, body: ACPITables.dsdtAML))
        let fadt = t.add(table("FACP", revision: 6, body: ACPITables.fadtBody(facs: facs, dsdt: dsdt)))
        let madt = t.add(table("APIC", revision: 5, body: ACPITables.madtBody(cpuCount: cpuCount)))
        let hpet = t.add(table("HPET", revision: 1, body: ACPITables.hpetBody))
        var r = [UInt8](), x = [UInt8]()
        for a in [fadt, madt, hpet] { r.append32(UInt32(a)); x.append64(a) }
        let rsdt = t.add(table("RSDT", revision: 1, body: r))
        let xsdt = t.add(table("XSDT", revision: 1, body: x))
        tables = t.bytes

        var p = [UInt8](repeating: 0, count: 36)
        p.put("RSD PTR ", at: 0)
        p.put(ACPITables.oemID, at: 9)
        p[15] = 2                                                   // revision: ACPI 2.0+
        p.put32(UInt32(rsdt), at: 16)
        p.put32(36, at: 20)
        p.put64(xsdt, at: 24)
        p[8] = ACPITables.checksum(p[0..<20])
        p[32] = ACPITables.checksum(p[0..<36])
        rsdp = p
    }

    /// The byte that makes `bytes` sum to zero (with its own slot zero).
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        var s: UInt8 = 0
        for b in bytes { s &+= b }
        return 0 &- s
    }

    /// A table: the 36-byte description header (5.2.6) and `body`, checksummed.
    func table(_ signature: String, revision: UInt8, body: [UInt8]) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 36)
        h.put(signature, at: 0)
        h.put32(UInt32(36 + body.count), at: 4)
        h[8] = revision
        h.put(ACPITables.oemID, at: 10)
        h.put(ACPITables.oemTableID, at: 16)
        h.put32(1, at: 24)                                          // OEM revision
        h.put("SWMU", at: 28)                                       // creator ID
        h.put32(1, at: 32)                                          // creator revision
        var all = h + body
        all[9] = ACPITables.checksum(all[...])
        return all
    }

    /// A Generic Address Structure (5.2.3.2): space, bit width, offset, access size, address.
    static func gas(space: UInt8, width: UInt8, access: UInt8, address: UInt64) -> [UInt8] {
        var g: [UInt8] = [space, width, 0, access]
        g.append64(address)
        return g
    }

    /// DSDT: Name (_S5_, Package (4) { 0, 0, 0, 0 }) (AML, 20.2): SLP_TYP 0 for S5.
    static let dsdtAML: [UInt8] = [0x08, 0x5F, 0x53, 0x35, 0x5F, 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00]

    /// FADT revision 6 body (5.2.9, table 5.9): 276 bytes with the header.
    static func fadtBody(facs: UInt64, dsdt: UInt64) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 276 - 36)
        func at(_ offset: Int) -> Int { offset - 36 }
        b.put32(UInt32(facs), at: at(36))                           // FIRMWARE_CTRL
        b.put32(UInt32(dsdt), at: at(40))                           // DSDT
        b.put16(sciIRQ, at: at(46))                                 // SCI_INT; SMI_CMD 0: always in ACPI mode
        b.put32(UInt32(pmBase), at: at(56))                         // PM1a_EVT_BLK
        b.put32(UInt32(pmBase + 4), at: at(64))                     // PM1a_CNT_BLK
        b.put32(UInt32(pmBase + 8), at: at(76))                     // PM_TMR_BLK
        b[at(88)] = 4                                               // PM1_EVT_LEN
        b[at(89)] = 2                                               // PM1_CNT_LEN
        b[at(91)] = 4                                               // PM_TMR_LEN
        b.put16(101, at: at(96))                                    // P_LVL2_LAT > 100: no C2
        b.put16(1001, at: at(98))                                   // P_LVL3_LAT > 1000: no C3
        b[at(108)] = 0x32                                           // CENTURY: CMOS register 32h
        b.put16(0x0003, at: at(109))                                // IAPC_BOOT_ARCH: LEGACY_DEVICES, 8042
        // Flags: WBINVD, PROC_C1, PWR_BUTTON and SLP_BUTTON (none as fixed features), RESET_REG_SUP.
        b.put32(1 << 0 | 1 << 2 | 1 << 4 | 1 << 5 | 1 << 10, at: at(112))
        b.put(gas(space: 1, width: 8, access: 1, address: resetPort), at: at(116))   // RESET_REG
        b[at(128)] = resetValue
        b.put64(dsdt, at: at(140))                                  // X_DSDT
        b.put(gas(space: 1, width: 32, access: 3, address: UInt64(pmBase)), at: at(148))        // X_PM1a_EVT_BLK
        b.put(gas(space: 1, width: 16, access: 2, address: UInt64(pmBase + 4)), at: at(172))    // X_PM1a_CNT_BLK
        b.put(gas(space: 1, width: 32, access: 3, address: UInt64(pmBase + 8)), at: at(208))    // X_PM_TMR_BLK
        return b
    }

    /// MADT body (5.2.12): local APIC address, PCAT_COMPAT, then the structures.
    static func madtBody(cpuCount: Int) -> [UInt8] {
        var b = [UInt8]()
        b.append32(UInt32(LocalAPIC.defaultBase))
        b.append32(1)                                               // PCAT_COMPAT: 8259As present
        for i in 0..<cpuCount {
            b += [0, 8, UInt8(i), UInt8(i)]                         // Processor Local APIC: UID, APIC ID
            b.append32(1)                                           // enabled
        }
        b += [1, 12, 0, 0]                                          // I/O APIC: ID 0
        b.append32(UInt32(IOAPIC.defaultBase))
        b.append32(0)                                               // GSI base
        b += [2, 10, 0, 0]                                          // Interrupt Source Override: ISA IRQ0
        b.append32(2)                                               // -> GSI 2
        b.append16(0)                                               // conforms to the bus
        b += [2, 10, 0, UInt8(sciIRQ)]                              // the SCI: level, active high
        b.append32(UInt32(sciIRQ))
        b.append16(0x000D)
        b += [4, 6, 0xFF]                                           // Local APIC NMI: all processors,
        b.append16(0)                                               // conforming flags,
        b.append(1)                                                 // LINT1
        return b
    }

    /// HPET description (IA-PC HPET specification 1.0a, 3.2.4): event timer block ID (vendor
    /// 8086h, legacy replacement capable, 64-bit counter, 3 comparators, revision 1), base
    /// address in system memory, HPET number 0, minimum tick 0, no page protection.
    static var hpetBody: [UInt8] {
        var b = [UInt8]()
        b.append32(HPET.capabilitiesLow)
        b += gas(space: 0, width: 64, access: 0, address: HPET.defaultBase)
        b.append(0)
        b.append16(0)
        b.append(0)
        return b
    }
}

/// Bytes laid out from a physical base address, with alignment.
struct ACPITableBuffer {
    let base: UInt64
    var bytes: [UInt8] = []
    var address: UInt64 { base + UInt64(bytes.count) }

    mutating func align(_ n: Int) {
        while bytes.count % n != 0 { bytes.append(0) }
    }

    mutating func append(_ b: [UInt8]) { bytes += b }

    /// Appends a table at a 16-byte boundary and returns its address.
    mutating func add(_ table: [UInt8]) -> UInt64 {
        align(16)
        let a = address
        bytes += table
        return a
    }
}

extension Array where Element == UInt8 {
    mutating func append16(_ v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
    mutating func append32(_ v: UInt32) { for k in 0..<4 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) } }
    mutating func append64(_ v: UInt64) { for k in 0..<8 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
    mutating func put(_ s: String, at offset: Int) { put(Array(s.utf8), at: offset) }
    mutating func put(_ b: [UInt8], at offset: Int) { for (k, x) in b.enumerated() { self[offset + k] = x } }
    mutating func put16(_ v: UInt16, at offset: Int) { put([UInt8(v & 0xFF), UInt8(v >> 8)], at: offset) }
    mutating func put32(_ v: UInt32, at offset: Int) {
        for k in 0..<4 { self[offset + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
    }
    mutating func put64(_ v: UInt64, at offset: Int) {
        for k in 0..<8 { self[offset + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
    }
}
