/* fw-cfg.elf: QEMU's fw_cfg interface (docs/specs/fw_cfg.rst) and PCI configuration mechanism #1.
   fw_cfg: the "QEMU" signature, the traditional interface bit, the RAM size against the
   Multiboot memory map, the file directory holding etc/e820 whose entries agree with the
   Multiboot map. PCI: a host bridge (class 0600h, vendor 8086h) at 00:00.0, an ISA bridge
   (class 0601h) on bus 0, all ones from an absent device, CONFIG_ADDRESS reading back. */
#include "devices.h"
#include "fwcfg.h"

struct mb_info { uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr, syms[4], mmap_length, mmap_addr; };
struct mb_mmap { uint32_t size; uint64_t addr, len; uint32_t type; } __attribute__((packed));

static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static uint32_t pci_read(uint32_t bus, uint32_t dev, uint32_t fn, uint32_t reg) {
    outl(0xcf8, 1u << 31 | bus << 16 | dev << 11 | fn << 8 | reg);
    return inl(0xcfc);
}
static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static int streq(const char *a, const char *b) { while (*a && *a == *b) { a++; b++; } return *a == *b; }

void isr_dispatch(uint32_t vector, uint32_t error) { unexpected(vector, error); }

void kmain(uint32_t magic, const struct mb_info *mb) {
    serial_init();
    serial_puts("fw-cfg: fw_cfg and PCI configuration space\n");
    idt_init();
    char signature[5] = { 0 };
    fwcfg_select(0x0000);
    fwcfg_read(signature, 4);
    check("fw_cfg: signature QEMU", streq(signature, "QEMU"));
    uint32_t id;
    fwcfg_select(0x0001);
    fwcfg_read(&id, 4);
    check("fw_cfg: ID has the traditional interface", id & 1);
    uint64_t ram;
    fwcfg_select(0x0003);
    fwcfg_read(&ram, 8);
    /* A firmware may keep the top of RAM for itself (SeaBIOS does), so mem_upper can be less. */
    uint64_t upper = ((uint64_t)mb->mem_upper + 1024) * 1024;
    check("fw_cfg: RAM size covers Multiboot mem_upper + 1 MiB (within 4 MiB)",
          magic == 0x2badb002 && (mb->flags & 1) && ram >= upper && ram - upper <= (4u << 20));

    uint8_t count[4];
    fwcfg_select(0x0019);
    fwcfg_read(count, 4);
    uint32_t n = be32(count), e820_size = 0;
    uint16_t e820_select = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t f[64];
        fwcfg_read(f, 64);
        if (streq((const char *)f + 8, "etc/e820")) { e820_size = be32(f); e820_select = (uint16_t)(f[4] << 8 | f[5]); }
    }
    check("fw_cfg: the file directory lists etc/e820", n > 0 && e820_select >= 0x20 && e820_size % 20 == 0);
    /* Every usable e820 range above 1 MiB is usable RAM in the Multiboot map too. */
    int agree = e820_size > 0;
    fwcfg_select(e820_select);
    for (uint32_t k = 0; k < e820_size / 20; k++) {
        struct { uint64_t addr, len; uint32_t type; } __attribute__((packed)) e;
        fwcfg_read(&e, 20);
        if (e.type != 1 || e.addr < 0x100000) continue;
        int found = 0;
        for (uint32_t off = 0; off < mb->mmap_length;) {
            const struct mb_mmap *m = (const struct mb_mmap *)(mb->mmap_addr + off);
            if (m->type == 1 && m->addr <= e.addr && e.addr + e.len <= m->addr + m->len) found = 1;
            off += m->size + 4;
        }
        if (!found) agree = 0;
    }
    check("fw_cfg: etc/e820 RAM above 1 MiB agrees with the Multiboot map", agree);

    uint32_t host = pci_read(0, 0, 0, 0), host_class = pci_read(0, 0, 0, 8) >> 16;
    check("pci: 00:00.0 is an Intel host bridge (class 0600h)", (host & 0xffff) == 0x8086 && host_class == 0x0600);
    int isa = 0;
    for (uint32_t d = 0; d < 32; d++) {
        if ((pci_read(0, d, 0, 0) & 0xffff) == 0xffff) continue;
        if (pci_read(0, d, 0, 8) >> 16 == 0x0601) isa = 1;
    }
    check("pci: an ISA bridge (class 0601h) on bus 0", isa);
    check("pci: an absent device reads all ones", pci_read(0, 31, 7, 0) == 0xffffffff && pci_read(0, 30, 0, 0) == 0xffffffff);
    outl(0xcf8, 0x80001f08);
    check("pci: CONFIG_ADDRESS reads back", inl(0xcf8) == 0x80001f08);

    serial_puts(failures ? "fw-cfg: FAIL\n" : "fw-cfg: all checks passed\n");
    debug_exit(failures ? 1 : 0);
}
