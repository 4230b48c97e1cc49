/// The 8042 keyboard controller at 0x60 (data) and 0x64 (status/command), as much as the
/// platform needs: the controller commands, its output port (bit 0 = system reset, active low;
/// bit 1 = A20), and a keyboard that acknowledges commands. No keys are ever pressed.
///
///     0x20        read the command byte          0x60  write the command byte
///     0xA7/0xA8   disable/enable the aux port    0xA9  aux interface test -> 0x00
///     0xAA        self-test -> 0x55              0xAB  keyboard interface test -> 0x00
///     0xAD/0xAE   disable/enable the keyboard    0xC0  read the input port
///     0xD0        read the output port           0xD1  write the output port
///     0xDD/0xDF   A20 off/on                     0xF0-0xFF  pulse output bits (bit 0: reset)
///
/// Status (0x64): bit 0 output buffer full, bit 1 input buffer full (always 0: commands
/// complete at once), bit 2 system flag, bit 3 last write was a command.
/// A reset (0xFE, or output-port bit 0 written 0) ends the run (`PlatformRequest.reset`).
public final class KeyboardController: PortDevice {
    let attention: Attention
    let a20: A20Gate
    var output: [UInt8] = []
    var commandByte: UInt8 = 0x45   // IRQ1 enabled, system flag, translation
    var status: UInt8 = 0x04        // system flag: POST passed
    /// The command waiting for its data byte (0x60, 0xD1, 0xD2-0xD4), or nil.
    var pendingCommand: UInt8?

    public init(attention: Attention, a20: A20Gate) {
        self.attention = attention
        self.a20 = a20
    }

    public static let dataPort: UInt16 = 0x60
    public static let commandPort: UInt16 = 0x64

    var outputPort: UInt8 { 0x01 | (a20.enabled ? 0x02 : 0) | 0x0C }

    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        switch port {
        case KeyboardController.dataPort:
            return output.isEmpty ? 0 : UInt32(output.removeFirst())
        case KeyboardController.commandPort:
            return UInt32(status | (output.isEmpty ? 0 : 1))
        default:
            return 0xFF
        }
    }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        let v = UInt8(truncatingIfNeeded: value)
        if port == KeyboardController.commandPort {
            status |= 0x08
            command(v)
        } else if port == KeyboardController.dataPort {
            status &= ~0x08
            data(v)
        }
    }

    func command(_ c: UInt8) {
        pendingCommand = nil
        switch c {
        case 0x20: output.append(commandByte)
        case 0x60, 0xD1, 0xD2, 0xD3, 0xD4: pendingCommand = c
        case 0xA7: commandByte |= 0x20
        case 0xA8: commandByte &= ~0x20
        case 0xA9, 0xAB: output.append(0x00)
        case 0xAA:
            status |= 0x04
            output.append(0x55)
        case 0xAD: commandByte |= 0x10
        case 0xAE: commandByte &= ~0x10
        case 0xC0: output.append(0x80)     // input port: keyboard not inhibited
        case 0xD0: output.append(outputPort)
        case 0xDD: a20.enabled = false
        case 0xDF: a20.enabled = true
        case 0xF0...0xFF:
            // Pulse the output bits whose mask bit is 0 for 6 us; bit 0 is the reset line.
            if c & 1 == 0 { attention.request(.reset(source: "keyboard controller command 0x\(String(c, radix: 16))")) }
        default: break
        }
    }

    func data(_ v: UInt8) {
        guard let c = pendingCommand else {
            keyboardCommand(v)
            return
        }
        pendingCommand = nil
        switch c {
        case 0x60:
            commandByte = v
            status = status & ~0x04 | (v & 0x04)
        case 0xD1:
            a20.enabled = v & 0x02 != 0
            if v & 0x01 == 0 { attention.request(.reset(source: "keyboard controller output port bit 0")) }
        case 0xD2, 0xD3: output.append(v)   // write to the keyboard/aux output buffer
        default: break                      // 0xD4: to the (absent) mouse
        }
    }

    /// A byte for the keyboard itself: ACK (0xFA); reset (0xFF) adds the BAT result 0xAA;
    /// identify (0xF2) adds 0xAB 0x83; echo (0xEE) answers 0xEE.
    func keyboardCommand(_ v: UInt8) {
        switch v {
        case 0xEE: output.append(0xEE)
        case 0xFF: output += [0xFA, 0xAA]
        case 0xF2: output += [0xFA, 0xAB, 0x83]
        default: output.append(0xFA)
        }
    }
}
