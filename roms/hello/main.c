/* hello.elf: prints a greeting, checks the Multiboot 1 entry state, shows the command line
   the loader passed, checks the memory information, then exits through isa-debug-exit with 0 (status 1). */
#include "serial.h"

struct multiboot_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};

struct mmap_entry {
    uint32_t size;
    uint64_t base, length;
    uint32_t type;
} __attribute__((packed));

void kmain(uint32_t magic, const struct multiboot_info *mbi) {
    serial_init();
    serial_puts("Hello from swemu\n");
    int memory = 0;
    int ok = magic == 0x2BADB002;
    serial_puts("multiboot: magic ");
    serial_puts(ok ? "ok" : "BAD");
    uint32_t want = (1 << 0) | (1 << 2) | (1 << 6);   /* memory, cmdline, mmap */
    int info = mbi != 0 && (mbi->flags & want) == want;
    serial_puts(", info ");
    serial_puts(info ? "ok" : "BAD");
    serial_puts("\n");
    if (info) {
        serial_puts("cmdline: ");
        serial_puts((const char *)mbi->cmdline);
        serial_puts("\n");
        /* Firmware maps differ in detail (QEMU's BIOS keeps an EBDA below 640 KiB and tables at
           the top of RAM), so check what every PC has: most of the low 640 KiB, and usable RAM
           starting at 1 MiB that covers mem_upper. */
        uint32_t high = 0;
        for (uint32_t at = mbi->mmap_addr; at < mbi->mmap_addr + mbi->mmap_length;) {
            const struct mmap_entry *e = (const struct mmap_entry *)at;
            if (e->type == 1 && e->base == 0x100000 && e->length >> 10 >= mbi->mem_upper) high = 1;
            at += e->size + 4;
        }
        memory = mbi->mem_lower >= 512 && mbi->mem_lower <= 640 && high;
        serial_puts("memory: ");
        serial_puts(memory ? "ok" : "BAD");
        serial_puts("\n");
    }
    debug_exit(ok && info && memory ? 0 : 1);
}
