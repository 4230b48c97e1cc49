/* acpi.elf: the firmware's ACPI tables, parsed as an OS does (ACPI 6.5, chapter 5). Finds the
   RSDP by scanning E0000h-FFFFFh, checks both RSDP checksums, walks the RSDT and the XSDT
   (same tables, each checksum valid; ACPI 1.0 firmware such as SeaBIOS has no XSDT), then: the MADT lists as many enabled processors as fw_cfg
   reports, one IOAPIC whose version register answers at the address given, and the IRQ0 -> GSI
   2 override; the FADT's PM timer counts at 3.579545 MHz against the TSC, its DSDT and FACS have
   their signatures; the HPET table's base address holds an HPET whose counter runs at the
   period its capabilities give. One line per check; exit 0 when all pass. */
#include "devices.h"
#include "fwcfg.h"

static int sig(const uint8_t *p, const char *s) { return p[0] == s[0] && p[1] == s[1] && p[2] == s[2] && p[3] == s[3]; }
static uint8_t sum(const uint8_t *p, uint32_t n) { uint8_t s = 0; while (n--) s += *p++; return s; }
static uint32_t u32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t u16(const uint8_t *p) { return p[0] | p[1] << 8; }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

void isr_dispatch(uint32_t vector, uint32_t error) { unexpected(vector, error); }

void kmain(void) {
    serial_init();
    serial_puts("acpi: ACPI tables\n");
    idt_init();
    const uint8_t *rsdp = 0;
    for (uint32_t a = 0xe0000; a < 0x100000 && !rsdp; a += 16) {
        const uint8_t *p = (const uint8_t *)a;
        if (sig(p, "RSD ") && sig(p + 4, "PTR ") && sum(p, 20) == 0) rsdp = p;
    }
    check("rsdp: found in E0000h-FFFFFh with a valid checksum", rsdp != 0);
    if (!rsdp) debug_exit(1);
    /* ACPI 2.0+ (revision 2): an extended checksum and an XSDT; ACPI 1.0 (SeaBIOS): RSDT only. */
    int v2 = rsdp[15] >= 2;
    check("rsdp: extended checksum valid (or an ACPI 1.0 RSDP)", !v2 || sum(rsdp, u32(rsdp + 20)) == 0);
    const uint8_t *rsdt = (const uint8_t *)u32(rsdp + 16);
    const uint8_t *xsdt = v2 ? (const uint8_t *)u32(rsdp + 24) : 0;    /* below 4 GiB */
    check("rsdt/xsdt: signatures and checksums", sig(rsdt, "RSDT") && sum(rsdt, u32(rsdt + 4)) == 0
          && (!v2 || (sig(xsdt, "XSDT") && sum(xsdt, u32(xsdt + 4)) == 0)));
    uint32_t nr = (u32(rsdt + 4) - 36) / 4, nx = v2 ? (u32(xsdt + 4) - 36) / 8 : nr;
    int same = nr == nx, sums = 1;
    const uint8_t *fadt = 0, *madt = 0, *hpet = 0;
    for (uint32_t i = 0; i < nr; i++) {
        const uint8_t *t = (const uint8_t *)u32(rsdt + 36 + 4 * i);
        if (v2 && i < nx && u32(xsdt + 36 + 8 * i) != (uint32_t)t) same = 0;
        if (sum(t, u32(t + 4)) != 0) sums = 0;
        if (sig(t, "FACP")) fadt = t;
        if (sig(t, "APIC")) madt = t;
        if (sig(t, "HPET")) hpet = t;
    }
    check("rsdt/xsdt: the same tables, every checksum valid", same && sums);
    check("tables: FADT, MADT and HPET present", fadt && madt && hpet);
    if (!fadt || !madt || !hpet) debug_exit(1);

    /* MADT: processors, IOAPIC, overrides. */
    uint32_t cpus = 0, ioapic = 0, irq0 = 0xffffffff;
    for (const uint8_t *p = madt + 44; p < madt + u32(madt + 4); p += p[1]) {
        if (p[1] == 0) break;
        if (p[0] == 0 && (u32(p + 4) & 1)) cpus++;
        if (p[0] == 1) ioapic = u32(p + 4);
        if (p[0] == 2 && p[2] == 0 && p[3] == 0) irq0 = u32(p + 4);
    }
    check("madt: enabled processors = fw_cfg CPU count", cpus == fwcfg_cpu_count());
    *(volatile uint32_t *)ioapic = 1;
    check("madt: the IOAPIC answers at its address (24 entries)", ioapic && ((*(volatile uint32_t *)(ioapic + 0x10) >> 16) & 0xff) == 23);
    check("madt: ISA IRQ0 overridden to GSI 2", irq0 == 2);

    /* FADT: PM timer (24 or 32 bits), DSDT, FACS. */
    const uint8_t *dsdt = (const uint8_t *)u32(fadt + 40), *facs = (const uint8_t *)u32(fadt + 36);
    check("fadt: DSDT and FACS signatures", sig(dsdt, "DSDT") && sum(dsdt, u32(dsdt + 4)) == 0 && sig(facs, "FACS"));
    uint16_t pmt = (uint16_t)u32(fadt + 76);
    uint32_t mask = (u32(fadt + 112) & (1 << 8)) ? 0xffffffffu : 0xffffffu;
    uint32_t p0 = inl(pmt) & mask;
    uint64_t t0 = rdtsc();
    while (rdtsc() - t0 < 2000000) { }
    uint32_t p1 = inl(pmt) & mask;
    uint32_t ticks = (p1 - p0) & mask;                  /* 2 ms = 7159 ticks */
    check("fadt: the PM timer counts 3.579545 MHz against the TSC (1%)", ticks >= 7087 && ticks <= 7231);
    /* ACPI mode (4.8.2.5): with SMI_CMD = 0 the machine is always in it; otherwise write
       ACPI_ENABLE to SMI_CMD, as an OS does. Either way SCI_EN reads 1. */
    uint32_t smi_cmd = u32(fadt + 48);
    if (smi_cmd) outb((uint16_t)smi_cmd, fadt[52]);
    t0 = rdtsc();
    while (!(inb((uint16_t)u32(fadt + 64)) & 1) && rdtsc() - t0 < 10000000) { }
    check("fadt: SCI_EN set in PM1a_CNT (ACPI mode)", inb((uint16_t)u32(fadt + 64)) & 1);

    /* HPET: the table's address; counter period from the capabilities register. */
    volatile uint32_t *h = (volatile uint32_t *)u32(hpet + 44);
    check("hpet: table block ID = capabilities register", h[0] == u32(hpet + 36));
    uint32_t period = h[1];                             /* femtoseconds per tick */
    h[4] = 1;                                           /* ENABLE_CNF */
    uint32_t c0 = h[60];
    t0 = rdtsc();
    while (rdtsc() - t0 < 1000000) { }
    uint32_t c1 = h[60];
    uint64_t fs = (uint64_t)(c1 - c0) * period;         /* ~1 ms = 10^12 fs */
    check("hpet: the main counter runs at the capabilities' period (1%)", fs >= 990000000000ull && fs <= 1010000000000ull);
    (void)u16;

    serial_puts(failures ? "acpi: FAIL\n" : "acpi: all checks passed\n");
    debug_exit(failures ? 1 : 0);
}
