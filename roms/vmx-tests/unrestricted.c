/* unrestricted.elf: "unrestricted guest" with EPT (SDM vol. 3, 26.2.1.1, 26.3.1, 25.3, 26.6)
   and VMFUNC EPTP switching (25.5.6). The guest (unrestricted.S) starts in real mode at
   F000:FFF0, uses its own IVT for INT n, an injected external interrupt, #UD and an injected #GP,
   exits on I/O, CPUID, CR0 writes and HLT, switches to protected mode, back, to paging with its
   own page tables, and back, and switches EPTPs with VMFUNC. Guest-physical 0-2 MiB is host
   REGION by 4 KiB EPT pages; two EPT hierarchies differ only at guest-physical 0x50000.
   Then the VM-entry checks that unrestricted guest changes, from the real-mode baseline. */
#include "check.h"
#include "vmcs.h"

const char bench_name[] = "vmx-tests/unrestricted";
const uint64_t bench_default_iterations = 1;

#define REGION 0x4000000ULL
#define ALT_PAGE (REGION + 0x200000)
#define PAGED_DATA 0x20000                /* guest-physical; linear 4 MiB under the guest's paging */
#define SWITCHED 0x50000                  /* guest-physical page that the two EPTs map apart */
#define VALUE_A 0xA11A
#define VALUE_B 0xB22B
#define PAGED_VALUE 0x5A5A1234u

#define SEC_EPT (1u << 1)
#define SEC_UNRESTRICTED (1u << 7)
#define SEC_VMFUNC (1u << 13)
#define CR0_PE 1u
#define CR0_NE 0x20u
#define CR0_PG 0x80000000u

#define EPT_RWX 7
#define EPT_WB (6 << 3)

struct ept { uint64_t pml4[512], pdpt[512], pd[512], pt[512]; };
static struct ept ept_a __attribute__((aligned(4096))), ept_b __attribute__((aligned(4096)));
static uint64_t eptp_list[512] __attribute__((aligned(4096)));

extern char unr_blob[], unr_blob_end[];
extern char unr_out80[], unr_in[], unr_out81[], unr_cpuid[], unr_out82[], unr_pm_cpuid[],
    unr_real_cpuid[], unr_pg_cpuid[], unr_pg_write[], unr_inj_cpuid[], unr_after_inj[],
    unr_out83[], unr_ud[], unr_out84[], unr_gp_cpuid[], unr_after_gp[], unr_out85[],
    unr_vf_cpuid1[], unr_vf_cpuid0[], unr_vf_index[], unr_vf_invalid[], unr_vf_function[], unr_hlt[];

static struct guest_regs g;
static uint64_t eptp_a, eptp_b, guest_cr0;
static int launched;

/* A label's offset in the guest's CS 0xF000 and its linear address. */
static uint64_t off(const char *label) { return (uint64_t)(label - unr_blob) + 0x8000; }
static uint64_t lin(const char *label) { return off(label) + 0xF0000; }

static int basic_true_ctls(void) { return (int)(rdmsr(0x480) >> 55 & 1); }

static uint64_t eptp_of(struct ept *e) {
    e->pml4[0] = (uint64_t)(uintptr_t)e->pdpt | EPT_RWX;
    e->pdpt[0] = (uint64_t)(uintptr_t)e->pd | EPT_RWX;
    e->pd[0] = (uint64_t)(uintptr_t)e->pt | EPT_RWX;
    for (uint64_t i = 1; i < 512; i++) e->pd[i] = i << 21 | EPT_RWX | EPT_WB | 1 << 7;
    for (uint64_t i = 0; i < 512; i++) e->pt[i] = (REGION + i * 4096) | EPT_RWX | EPT_WB;
    return (uint64_t)(uintptr_t)e->pml4 | 3 << 3 | EPT_WB >> 3;
}

/* Enters the guest; returns the basic exit reason, or 0xE000 | error after a failed instruction. */
static uint64_t enter(void) {
    if (vmx_enter(&g, launched)) return 0xE000 | vmread(VM_INSTRUCTION_ERROR);
    launched = 1;
    return vmread(EXIT_REASON);
}

/* Runs to the next exit: checks its reason and guest RIP; 1 if both are as expected. */
static int step(const char *name, uint64_t reason, uint64_t rip) {
    uint64_t got = enter();
    if (got != reason) { check(name, 0, got); return 0; }
    if (vmread(GUEST_RIP) != rip) { check(name, 0, vmread(GUEST_RIP)); return 0; }
    return 1;
}

static void skip(void) { vmwrite(GUEST_RIP, vmread(GUEST_RIP) + vmread(EXIT_INSTRUCTION_LENGTH)); }

/* I/O exit qualification (table 28-5): size - 1, IN, immediate operand, port. */
static uint64_t io(uint64_t size, int in, int immediate, uint64_t port) {
    return (size - 1) | (uint64_t)in << 3 | (uint64_t)immediate << 6 | port << 16;
}

static void io_step(const char *name, const char *at, uint64_t q, uint64_t length) {
    if (!step(name, 30, off(at))) return;
    uint64_t got = vmread(EXIT_QUALIFICATION);
    check(name, got == q && vmread(EXIT_INSTRUCTION_LENGTH) == length, got);
    skip();
}

static void cs_is(const char *name, uint64_t selector, uint64_t base, uint64_t limit, uint64_t ar) {
    int ok = vmread(CS_SELECTOR) == selector && vmread(CS_BASE) == base && vmread(CS_LIMIT) == limit
        && vmread(CS_AR) == ar;
    check(name, ok, vmread(CS_SELECTOR) << 48 | vmread(CS_BASE) << 16 | vmread(CS_AR));
}

static void real_mode_guest(void) {
    vmwrite(GUEST_CR0, guest_cr0);
    vmwrite(GUEST_CR3, 0);
    vmwrite(GUEST_RIP, 0xFFF0);
    vmwrite(GUEST_RSP, 0x7000);
    vmwrite(GUEST_RFLAGS, 2);
    for (int i = 0; i < 6; i++) {                       /* ES, CS, SS, DS, FS, GS */
        uint64_t selector = i == 1 ? 0xF000 : 0;
        vmwrite(0x0800 + 2 * i, selector);
        vmwrite(0x6806 + 2 * i, selector << 4);
        vmwrite(0x4800 + 2 * i, 0xFFFF);
        vmwrite(0x4814 + 2 * i, i == 1 ? 0x9B : 0x93);
    }
    vmwrite(0x080E, 0); vmwrite(0x480E, 0xFFFF); vmwrite(0x4822, 0x8B); vmwrite(0x6814, 0);  /* TR */
    vmwrite(0x4810, 0xFFFF); vmwrite(0x6816, 0);        /* GDTR */
    vmwrite(0x4812, 0x3FF); vmwrite(0x6818, 0);         /* IDTR: the IVT */
}

/* Tries a VM entry with field = value (restored afterwards) from the HLT baseline. */
static uint64_t attempt(uint64_t field, uint64_t value) {
    uint64_t old = vmread(field);
    vmwrite(field, value);
    vmwrite(GUEST_RIP, off(unr_hlt));
    uint64_t got = enter();
    vmwrite(field, old);
    return got;
}

static void expect_entry_failure(const char *name, uint64_t field, uint64_t value) {
    uint64_t got = attempt(field, value);
    check(name, got == (0x80000000u | 33) && vmread(EXIT_QUALIFICATION) == 0, got);
}

uint64_t bench_run(uint64_t iterations) {
    (void)iterations;
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & (1 << 5))) bench_unsupported("no VMX (CPUID.1:ECX.VMX = 0)");
    uint64_t secondary_allowed = rdmsr(0x48B) >> 32;
    if ((secondary_allowed & (SEC_EPT | SEC_UNRESTRICTED)) != (SEC_EPT | SEC_UNRESTRICTED))
        bench_unsupported("no unrestricted guest");
    int vmfunc = (secondary_allowed & SEC_VMFUNC) && (rdmsr(0x491) & 1);

    /* Guest memory: the blob at 0xF8000, a near JMP to it at the reset vector, page tables. */
    uint8_t *mem = (uint8_t *)(uintptr_t)REGION;
    bench_zero(mem, 0x200000);
    for (long i = 0; i < unr_blob_end - unr_blob; i++) mem[0xF8000 + i] = (uint8_t)unr_blob[i];
    uint16_t rel = (uint16_t)(0x8000 - (0xFFF0 + 3));
    mem[0xFFFF0] = 0xE9; mem[0xFFFF1] = (uint8_t)rel; mem[0xFFFF2] = (uint8_t)(rel >> 8);
    uint32_t *pd = (uint32_t *)(mem + 0x10000), *pt0 = (uint32_t *)(mem + 0x11000), *pt1 = (uint32_t *)(mem + 0x12000);
    pd[0] = 0x11003;
    pd[1] = 0x12003;
    for (uint32_t i = 0; i < 1024; i++) pt0[i] = i << 12 | 3;
    pt1[0] = PAGED_DATA | 3;
    *(uint32_t *)(mem + PAGED_DATA) = PAGED_VALUE;
    *(uint16_t *)(mem + SWITCHED) = VALUE_A;
    *(uint16_t *)(uintptr_t)ALT_PAGE = VALUE_B;

    eptp_a = eptp_of(&ept_a);
    eptp_b = eptp_of(&ept_b);
    ept_b.pt[SWITCHED >> 12] = ALT_PAGE | EPT_RWX | EPT_WB;
    eptp_list[0] = eptp_a;
    eptp_list[1] = eptp_b;

    vmx_setup(0, eptp_a);
    vmwrite(PRIMARY, vmread(PRIMARY) | 1 << 7 | 1 << 24);          /* HLT, unconditional I/O exiting */
    vmwrite(SECONDARY, vmread(SECONDARY) | SEC_UNRESTRICTED | (vmfunc ? SEC_VMFUNC : 0));
    if (vmfunc) {
        vmwrite(VM_FUNCTION_CONTROLS, 1);
        vmwrite(EPTP_LIST_ADDRESS, (uint64_t)(uintptr_t)eptp_list);
    }
    /* Not an IA-32e guest, and EFER loaded as 0: without "load IA32_EFER" a guest entered with
       CR0.PG = 0 keeps the host's EFER.LME (26.3.2.1), and its setting PG would be #GP. */
    if (!(rdmsr(basic_true_ctls() ? 0x490 : 0x484) >> 32 & 1 << 15)) bench_unsupported("no \"load IA32_EFER\"");
    vmwrite(ENTRY_CONTROLS, (vmread(ENTRY_CONTROLS) & ~(1ULL << 9)) | 1 << 15);
    vmwrite(GUEST_EFER, 0);
    /* CR0 with PE and PG clear, the other fixed bits kept (26.3.1.1), ET as after reset. */
    guest_cr0 = ((rdmsr(0x486) & ~(uint64_t)(CR0_PE | CR0_PG)) | 0x10) & rdmsr(0x487);
    vmwrite(GUEST_CR4, rdmsr(0x488) & rdmsr(0x489));
    vmwrite(CR0_MASK, CR0_NE); vmwrite(CR0_SHADOW, 0);
    vmwrite(CR4_MASK, 0x2000); vmwrite(CR4_SHADOW, 0);
    real_mode_guest();

    /* Real mode: INT 30h through the IVT without an exit, then I/O exits with 16-bit sizes. */
    if (step("real mode: first exit is OUT 80h, AX", 30, off(unr_out80))) {
        cs_is("real mode: CS as loaded (F000, base F0000, AR 9Bh)", 0xF000, 0xF0000, 0xFFFF, 0x9B);
        check("real mode: INT 30h handled through the guest's IVT", (g.rax & 0xFFFF) == 1, g.rax);
        uint64_t q = vmread(EXIT_QUALIFICATION);
        check("OUT imm8, AX: qualification (2 bytes, immediate, port 80h), length 2",
              q == io(2, 0, 1, 0x80) && vmread(EXIT_INSTRUCTION_LENGTH) == 2, q);
        skip();
    }
    io_step("IN AX, DX: qualification (2 bytes, in, DX, port 1234h), length 1", unr_in, io(2, 1, 0, 0x1234), 1);
    g.rax = (g.rax & ~0xFFFFULL) | 0xBEEF;
    if (step("OUT imm8, AL exits", 30, off(unr_out81))) {
        check("OUT imm8, AL: 1 byte, AL from the emulated IN",
              vmread(EXIT_QUALIFICATION) == io(1, 0, 1, 0x81) && (g.rax & 0xFF) == 0xEF, g.rax);
        skip();
    }
    if (step("real mode: CPUID exits", 10, off(unr_cpuid)))
        check("real mode: CPUID length 2", vmread(EXIT_INSTRUCTION_LENGTH) == 2, vmread(EXIT_INSTRUCTION_LENGTH));
    skip();
    if (step("OUT imm8, EAX exits", 30, off(unr_out82))) {
        /* 25.3: bits set in the mask read from the shadow, the others from CR0. */
        uint64_t seen = (guest_cr0 & ~(uint64_t)CR0_NE) & 0xFFFFFFFF;
        check("MOV from CR0 in real mode reads the shadow for masked bits", (g.rax & 0xFFFFFFFF) == seen, g.rax);
        check("OUT imm8, EAX: 4 bytes (66h prefix)", vmread(EXIT_QUALIFICATION) == io(4, 0, 1, 0x82), vmread(EXIT_QUALIFICATION));
        skip();
    }

    /* Protected mode without paging (PE outside the mask: no exit); the masked NE bit survives. */
    if (step("protected mode: CPUID exits", 10, lin(unr_pm_cpuid))) {
        check("protected mode: guest CR0 = PE | NE | ET", vmread(GUEST_CR0) == (guest_cr0 | CR0_PE), vmread(GUEST_CR0));
        cs_is("protected mode: CS 08h, base 0, limit 4 GiB, AR C09Bh", 0x08, 0, 0xFFFFFFFF, 0xC09B);
    }
    skip();
    /* Back to real mode: a real-mode far JMP loads selector and base, the limit and attributes
       stay those of the 16-bit segment (SDM vol. 3, 10.9.2). */
    if (step("back in real mode: CPUID exits", 10, off(unr_real_cpuid))) {
        check("back in real mode: guest CR0 PE = 0", vmread(GUEST_CR0) == guest_cr0, vmread(GUEST_CR0));
        cs_is("back in real mode: CS F000, base F0000, limit FFFFh, AR 9Bh", 0xF000, 0xF0000, 0xFFFF, 0x9B);
        check("back in real mode: RFLAGS saved (CF, DF)", vmread(GUEST_RFLAGS) == 0x403, vmread(GUEST_RFLAGS));
    }
    skip();

    /* Paging through the guest's own page tables (EPT translating them). */
    if (step("paging: CPUID exits", 10, lin(unr_pg_cpuid))) {
        check("paging: guest CR0 = PG | PE | NE | ET",
              vmread(GUEST_CR0) == (guest_cr0 | CR0_PE | CR0_PG), vmread(GUEST_CR0));
        check("paging: guest CR3 saved", vmread(GUEST_CR3) == 0x10000, vmread(GUEST_CR3));
        check("paging: linear 4 MiB reads guest-physical 20000h", (g.rsi & 0xFFFFFFFF) == PAGED_VALUE, g.rsi);
    }
    skip();
    vmwrite(CR0_MASK, CR0_NE | CR0_PG);
    vmwrite(CR0_SHADOW, CR0_PG);
    if (step("CR0.PG in the mask: clearing it exits", 28, lin(unr_pg_write))) {
        /* Table 28-3: CR 0, MOV to CR (access type 0), register EAX (0). */
        check("CR0.PG write: qualification 0, length 3",
              vmread(EXIT_QUALIFICATION) == 0 && vmread(EXIT_INSTRUCTION_LENGTH) == 3, vmread(EXIT_QUALIFICATION));
        check("CR0.PG write: CR0 unchanged at the exit",
              vmread(GUEST_CR0) == (guest_cr0 | CR0_PE | CR0_PG), vmread(GUEST_CR0));
    }
    vmwrite(GUEST_CR0, guest_cr0 | CR0_PE);                          /* emulate the write */
    vmwrite(CR0_SHADOW, 0);
    skip();

    /* An external interrupt injected in real mode, delivered through the guest's IVT. */
    if (step("real mode again: CPUID exits", 10, off(unr_inj_cpuid)))
        check("real mode again: IF set", (vmread(GUEST_RFLAGS) & 0x200) != 0, vmread(GUEST_RFLAGS));
    skip();
    vmwrite(ENTRY_INTERRUPTION_INFO, 0x80000020);
    if (step("injected interrupt 20h: guest reports it", 30, off(unr_out83)))
        check("injected interrupt 20h: IVT handler ran once, return IP after CPUID",
              (g.rax & 0xFFFF) == 1 && (g.rbx & 0xFFFF) == off(unr_after_inj), g.rax << 16 | (g.rbx & 0xFFFF));
    check("VM exit clears the injection's valid bit", (vmread(ENTRY_INTERRUPTION_INFO) >> 31) == 0,
          vmread(ENTRY_INTERRUPTION_INFO));
    skip();
    if (step("real-mode #UD: guest reports it", 30, off(unr_out84)))
        check("real-mode #UD: IVT vector 6 handler, IP of UD2",
              (g.rax & 0xFFFF) == 1 && (g.rbx & 0xFFFF) == off(unr_ud), g.rax << 16 | (g.rbx & 0xFFFF));
    skip();
    if (step("before #GP injection: CPUID exits", 10, off(unr_gp_cpuid))) {
        /* 26.2.1.3: deliver-error-code is 1 iff unrestricted guest is 0 or CR0.PE = 1 (for #GP). */
        skip();
        vmwrite(ENTRY_INTERRUPTION_INFO, 0x80000B0D);
        uint64_t got = enter();
        check("injecting #GP with an error code in real mode: VMfailValid(7)", got == (0xE000 | 7), got);
        vmwrite(ENTRY_INTERRUPTION_INFO, 0x8000030D);
        if (step("injected #GP: guest reports it", 30, off(unr_out85)))
            check("injected #GP: IVT vector 13 handler, return IP after CPUID",
                  (g.rax & 0xFFFF) == 1 && (g.rbx & 0xFFFF) == off(unr_after_gp), g.rax << 16 | (g.rbx & 0xFFFF));
        skip();
    }

    /* VMFUNC 0: EPTP switching without a VM exit; bad index, bad list entry, disabled function exit. */
    if (vmfunc) {
        if (step("VMFUNC index 1: no exit until CPUID", 10, off(unr_vf_cpuid1))) {
            check("VMFUNC index 1: the other EPT's page seen",
                  (g.rsi & 0xFFFF) == VALUE_A && (g.rdi & 0xFFFF) == VALUE_B, (g.rsi & 0xFFFF) << 16 | (g.rdi & 0xFFFF));
            check("VMFUNC index 1: EPT pointer field = list entry 1", vmread(EPT_POINTER) == eptp_b, vmread(EPT_POINTER));
        }
        skip();
        if (step("VMFUNC index 0: no exit until CPUID", 10, off(unr_vf_cpuid0))) {
            check("VMFUNC index 0: the first EPT's page seen again", (g.rsi & 0xFFFF) == VALUE_A, g.rsi);
            check("VMFUNC index 0: EPT pointer field = list entry 0", vmread(EPT_POINTER) == eptp_a, vmread(EPT_POINTER));
        }
        skip();
        if (step("VMFUNC index 512: exit 59 at the VMFUNC", 59, off(unr_vf_index)))
            check("VMFUNC exit: length 3, EPTP unchanged",
                  vmread(EXIT_INSTRUCTION_LENGTH) == 3 && vmread(EPT_POINTER) == eptp_a, vmread(EXIT_INSTRUCTION_LENGTH));
        skip();
        if (step("VMFUNC with an invalid list entry: exit 59", 59, off(unr_vf_invalid)))
            check("invalid list entry: EPTP unchanged", vmread(EPT_POINTER) == eptp_a, vmread(EPT_POINTER));
        skip();
        if (step("VMFUNC function 1 (not enabled): exit 59", 59, off(unr_vf_function)))
            check("VMFUNC function 1 (not enabled): exit 59", 1, 0);
        skip();
    } else {
        vmwrite(GUEST_RIP, off(unr_hlt));
    }
    if (step("real mode: HLT exits", 12, off(unr_hlt)))
        check("real mode: HLT exits, length 1", vmread(EXIT_INSTRUCTION_LENGTH) == 1, vmread(EXIT_INSTRUCTION_LENGTH));

    /* VM-entry checks that depend on unrestricted guest (26.2.1.1, 26.3.1.1), from the HLT baseline. */
    uint64_t got = attempt(GUEST_CR0, guest_cr0);
    check("baseline: real-mode entry reaches HLT", got == 12, got);
    expect_entry_failure("CR0.PG = 1 with PE = 0: exit 33", GUEST_CR0, guest_cr0 | CR0_PG);
    uint64_t secondary = vmread(SECONDARY);
    expect_entry_failure("real-mode guest without unrestricted guest: exit 33", SECONDARY, secondary & ~(uint64_t)SEC_UNRESTRICTED);
    vmwrite(GUEST_CR0, guest_cr0 | CR0_PE);
    expect_entry_failure("CR0.PE = 1, PG = 0 without unrestricted guest: exit 33", SECONDARY, secondary & ~(uint64_t)SEC_UNRESTRICTED);
    vmwrite(GUEST_CR0, guest_cr0);
    got = attempt(SECONDARY, secondary & ~(uint64_t)(SEC_EPT | SEC_VMFUNC));
    check("unrestricted guest without EPT: VMfailValid(7)", got == (0xE000 | 7), got);
    got = attempt(GUEST_CR0, guest_cr0);
    check("baseline again", got == 12, got);

    check_summary();
}
