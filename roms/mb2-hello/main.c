/* mb2-hello.elf: a Multiboot 2 kernel. Checks the magic, walks the boot information tags,
   prints the command line and the memory map, and exits through isa-debug-exit with 0
   (status 1). QEMU's -kernel has no Multiboot 2 loader, so roms/compare-qemu skips it. */
#include "serial.h"

struct tag { uint32_t type, size; };
struct mmap_entry { uint64_t base, length; uint32_t type, reserved; };

void kmain(uint32_t magic, const uint8_t *info) {
    serial_init();
    serial_puts("Hello from a Multiboot2 kernel\n");
    int ok = magic == 0x36D76289 && ((uint32_t)info & 7) == 0;
    serial_puts("multiboot2: magic ");
    serial_puts(ok ? "ok" : "BAD");
    serial_puts("\n");
    int seen = 0;
    if (ok) {
        uint32_t total = *(const uint32_t *)info;
        for (const uint8_t *p = info + 8; p < info + total;) {
            const struct tag *t = (const struct tag *)p;
            if (t->type == 0) { seen |= 1; break; }
            if (t->type == 1) {
                serial_puts("cmdline: ");
                serial_puts((const char *)(t + 1));
                serial_puts("\n");
                seen |= 2;
            }
            if (t->type == 6) {
                const uint32_t *h = (const uint32_t *)(t + 1);   /* entry_size, entry_version */
                for (const uint8_t *e = (const uint8_t *)(h + 2); e + h[0] <= p + t->size; e += h[0]) {
                    const struct mmap_entry *m = (const struct mmap_entry *)e;
                    serial_puts("mmap: ");
                    serial_hex64(m->base);
                    serial_puts(" + ");
                    serial_hex64(m->length);
                    serial_puts(m->type == 1 ? " usable\n" : " reserved\n");
                }
                seen |= 4;
            }
            p += (t->size + 7) & ~7u;
        }
    }
    debug_exit(ok && seen == 7 ? 0 : 1);
}
