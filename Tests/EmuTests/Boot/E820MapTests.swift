@testable import Emu
import Testing

@Suite struct E820MapTests {
    @Test func mapsLowRAMTheLegacyHoleAndHighRAM() {
        let map = E820Map(ramSize: 256 << 20)
        #expect(map.entries == [
            .init(base: 0, length: 0xA_0000, type: .usable),
            .init(base: 0xA_0000, length: 0x6_0000, type: .reserved),
            .init(base: 0x10_0000, length: (256 << 20) - 0x10_0000, type: .usable),
        ])
        #expect(map.lowerKiB == 640)
        #expect(map.upperKiB == 255 * 1024)
    }

    @Test func upperMemorySaturatesAt32Bits() {
        #expect(E820Map(ramSize: 1 << 43).upperKiB == UInt32.max)
    }
}
