import Emu

/// The texts of `swemu --help` and `swemu boot --help`.
enum Help {
    static let main = """
    usage: swemu <command> [options]

    swemu is an x86-64 PC emulator whose CPU implements Intel VMX and AMD SVM.

    commands:
      boot IMAGE [options]   boot a Multiboot kernel (see 'swemu boot --help')
      --help                 show this text
    """

    static let boot = """
    usage: swemu boot IMAGE [options]

    Boots IMAGE, a Multiboot 1 kernel (ELF32, ELF64, or any format with the a.out kludge) or,
    if it has no Multiboot 1 header, a Multiboot 2 kernel (ELF, or the address tag), on a PC
    with COM1 (16550 UART at 0x3f8) and isa-debug-exit (port 0xf4, 4 ports).

    options:
      --cpu intel|amd      CPU model: intel (VMX) or amd (SVM); default intel
      -m SIZE              guest RAM: 64M, 512M, 2G...; a bare number is MiB; default 256M
      --cmdline STR        kernel command line; the guest receives "IMAGE STR", exactly
                           as QEMU's -kernel IMAGE -append STR passes it
      --serial stdio|none|file:PATH
                           where COM1's output goes; default stdio
      --max-cycles N       stop after N virtual cycles
      --verbose            print load details, the cycle and instruction counts at exit (stderr)
      -h, --help           show this text

    exit status:
      (V << 1) | 1   the guest wrote V to port 0xf4 (as QEMU's isa-debug-exit); 1 for V = 0
      2              bad usage or input (unknown option, unreadable or unbootable image...)
      \(MachineExit.shutdownStatus)              triple fault (shutdown)
      \(MachineExit.haltedStatus)              the guest halted with nothing to wake it (HLT with no interrupt source)
      \(MachineExit.cycleBudgetStatus)            --max-cycles reached
      swemu's own statuses are even, so they never collide with a debug-exit status.
      A shutdown, halt or cycle-budget exit prints one line on stderr with RIP, CR0, CR3,
      CR4 and EFER.

    machine state at entry (Multiboot 1, section 3.2; Multiboot 2, section 3.3):
      EAX = 0x2BADB002 (Multiboot 2: 0x36D76289), EBX = physical address of the Multiboot
      information (Multiboot 2: the tag list, 8-byte aligned), 32-bit protected
      mode with paging off, CS = 0x10 flat 32-bit code, DS/ES/FS/GS/SS = 0x18 flat 32-bit data,
      EFLAGS = 0x2 (IF = 0), A20 on, ESP = 0 (undefined by the specification: set up a stack),
      GDTR = a 4-entry flat GDT inside the boot information area, IDTR = base 0 limit 0x3ff.
      The boot information (memory map, command line, boot loader name "swemu") lies in
      low memory from 0x1000, below 640 KiB and outside the image.
    """
}
