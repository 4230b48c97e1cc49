/* modules.elf: Multiboot 1 modules (Multiboot 0.6.96, 3.3) and the VGA text screen. Prints the
   module count, then per module its string, its size and its first line, checks that modules
   are page-aligned and above the kernel, and writes a line to the VGA text screen at B8000h
   (swemu --vga prints it). Boot with --module FILE[,ARGS] (QEMU: -initrd "FILE ARGS"). */
#include "devices.h"

struct mb_info { uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr; };
struct mb_module { uint32_t start, end, string, reserved; };

void isr_dispatch(uint32_t vector, uint32_t error) { unexpected(vector, error); }

void kmain(uint32_t magic, const struct mb_info *mb) {
    serial_init();
    serial_puts("modules: Multiboot modules\n");
    idt_init();
    check("multiboot: magic and the mods flag", magic == 0x2badb002 && (mb->flags & (1 << 3)));
    serial_puts("modules: ");
    serial_dec(mb->mods_count);
    serial_puts(" module(s)\n");
    const struct mb_module *m = (const struct mb_module *)mb->mods_addr;
    int aligned = 1;
    for (uint32_t i = 0; i < mb->mods_count; i++) {
        serial_puts("module ");
        serial_dec(i);
        serial_puts(": '");
        serial_puts((const char *)m[i].string);
        serial_puts("', ");
        serial_dec(m[i].end - m[i].start);
        serial_puts(" bytes, first line: ");
        for (const char *p = (const char *)m[i].start; p < (const char *)m[i].end && *p != '\n'; p++) serial_putc(*p);
        serial_puts("\n");
        if ((m[i].start & 0xfff) || m[i].start < (uint32_t)idt + sizeof idt || m[i].end < m[i].start) aligned = 0;
    }
    check("modules: page-aligned, above the kernel", aligned);
    static const char screen[] = "modules: hello from the VGA text screen";
    volatile uint16_t *vga = (volatile uint16_t *)0xb8000;
    for (int i = 0; screen[i]; i++) vga[80 + i] = 0x0700 | (uint8_t)screen[i];
    serial_puts(failures ? "modules: FAIL\n" : "modules: all checks passed\n");
    debug_exit(failures ? 1 : 0);
}
