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
    if it has no Multiboot 1 header, a Multiboot 2 kernel (ELF, or the address tag; an image
    with the relocatable tag is moved as the tag asks, its base in information tag 21), on a PC:
    8259A PIC pair (0x20, 0xa0, ELCR 0x4d0), 8254 PIT (0x40-0x43, IRQ0; port 0x61),
    MC146818 RTC/CMOS (0x70-0x71, IRQ8), keyboard controller (0x60/0x64: reset, A20),
    fast A20/reset (0x92), COM1 (16550 UART at 0x3f8, IRQ4; COM2-COM4 at 0x2f8, 0x3e8,
    0x2e8 discard their output), isa-debug-exit (port 0xf4,
    4 ports), ACPI PM1a (status/enable 0x600, control 0x604: write 0x2000 to power off, PM
    timer 0x608 at 3.579545 MHz), QEMU fw_cfg (0x510/0x511), PCI configuration mechanism #1
    (0xcf8/0xcfc: q35 host bridge 00:00.0, ISA bridge 00:1f.0) with the reset register 0xcf9,
    a local APIC per CPU (xAPIC at 0xfee00000 and x2APIC; timer one-shot, periodic and
    TSC-deadline), the IOAPIC (0xfec00000, 24 inputs, ISA IRQ0 on input 2), the HPET
    (0xfed00000, 100 MHz), and ACPI tables (RSDP at 0xf0000: RSDT, XSDT, FADT, MADT, HPET).

    time: virtual and deterministic. One cycle per instruction, and 1 cycle = 1 ns (the TSC
    runs at a nominal 1 GHz); the PIT (105/88 MHz) and the RTC derive from the cycle count
    exactly, as do the APIC timer (1 GHz bus), the HPET and the PM timer. HLT with interrupts
    enabled sleeps until the next timer event. With --smp N the CPUs take turns in fixed
    quanta of 10,000 cycles on one host thread, so SMP runs are deterministic too.

    options:
      --cpu intel|amd      CPU model: intel (VMX) or amd (SVM); default intel
      -m SIZE              guest RAM: 64M, 512M, 2G...; a bare number is MiB; default 256M
      --smp N              N processors (1-64); the APs wait for INIT-SIPI-SIPI; default 1
      --module FILE[,ARGS] load FILE as a Multiboot module (repeatable, in order); its string
                           is "FILE ARGS", as QEMU's -initrd "FILE ARGS" gives it
      --vga                print the VGA text screen (0xb8000, 80 x 25) on stdout at exit
      --cmdline STR        kernel command line; the guest receives "IMAGE STR", exactly
                           as QEMU's -kernel IMAGE -append STR passes it
      --serial stdio|none|file:PATH
                           where COM1's output goes; default stdio. With stdio, stdin is
                           COM1's input: a file is read whole at start (reproducible), a
                           terminal or pipe is polled as the guest runs
      --max-cycles N       stop after N virtual cycles
      --rtc TIME           the RTC's time at start, UTC: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS;
                           default 2024-01-01T00:00:00, so runs are reproducible
      --verbose            print load details, the cycle and instruction counts at exit (stderr)
      -h, --help           show this text

    exit status:
      \(MachineExit.powerOffStatus)              the guest powered off (ACPI S5: port 0x604 written 0x2000)
      (V << 1) | 1   the guest wrote V to port 0xf4 (as QEMU's isa-debug-exit); 1 for V = 0
      2              bad usage or input (unknown option, unreadable or unbootable image...)
      \(MachineExit.shutdownStatus)              triple fault (shutdown)
      \(MachineExit.haltedStatus)              the guest halted with nothing to wake it (HLT with interrupts
                     disabled, or with no timer armed)
      \(MachineExit.resetStatus)              the guest reset the machine (port 0x92 bit 0, keyboard
                     controller 0xfe); swemu never reboots (QEMU -no-reboot exits 0 there)
      \(MachineExit.cycleBudgetStatus)            --max-cycles reached
      swemu's own statuses are even, so they never collide with a debug-exit status.
      A shutdown, halt, reset or cycle-budget exit prints one line on stderr with RIP, CR0, CR3,
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
