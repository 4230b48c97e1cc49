/// The VGA text screen in its power-on mode 3 (80 x 25, 2 bytes per cell: character, attribute)
/// at B8000h, which the PC BIOS clears to spaces (0720h) before booting. `swemu boot --vga`
/// prints it as text when the run ends, for kernels that only write to the screen.
public enum VGATextScreen {
    public static let base: UInt64 = 0xB_8000
    public static let columns = 80
    public static let rows = 25

    /// Fills the screen with blank cells (space, light grey on black), as the BIOS leaves it.
    public static func clear(_ memory: PhysicalMemory) {
        for cell in 0..<(columns * rows) { memory.write(base + UInt64(2 * cell), size: 2, value: 0x0720) }
    }

    /// The screen as lines of text: characters 20h-7Eh as themselves, others as spaces (the
    /// code page 437 graphics have no ASCII form), trailing spaces and blank trailing lines
    /// dropped.
    public static func text(_ memory: PhysicalMemory) -> String {
        var lines: [String] = []
        for row in 0..<rows {
            var line = ""
            for column in 0..<columns {
                let c = UInt8(truncatingIfNeeded: memory.read(base + UInt64(2 * (row * columns + column)), size: 1))
                line.append(c >= 0x20 && c < 0x7F ? Character(UnicodeScalar(c)) : " ")
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        while lines.last == "" { lines.removeLast() }
        return lines.map { $0 + "\n" }.joined()
    }
}
