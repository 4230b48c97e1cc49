/* entry-checks.elf: VM-entry checks (SDM vol. 3, 26.2-26.4), one failing field at a time from a
   valid baseline (the VMX host library's 64-bit guest, launched once, then VMRESUMEd):
   control fields (26.2.1) -> VMfailValid(7); host state (26.2.2-26.2.4) -> VMfailValid(8);
   guest state (26.3.1) -> VM exit with reason 33 | 1 << 31 and the qualification of 26.8;
   MSR loading (26.4) -> reason 34 | 1 << 31 with the failing entry's number (from 1). */
#include "check.h"
#include "vmcs.h"

const char bench_name[] = "vmx-tests/entry-checks";
const uint64_t bench_default_iterations = 1;

extern void guest_read(void);
static struct guest_regs g;
static uint64_t target;
static uint64_t msr_list[8] __attribute__((aligned(16)));
static uint64_t true_ctls;

static uint32_t msr_of(uint32_t plain, uint32_t true_msr) { return true_ctls ? true_msr : plain; }

/* Writes bad to field, tries VMRESUME, restores the field. Returns 1 if the instruction failed
   (VMfailValid / VMfailInvalid), 0 after a VM exit. */
static int attempt(uint64_t field, uint64_t bad) {
    vmwrite(GUEST_RIP, (uint64_t)(uintptr_t)guest_read);
    uint64_t old = vmread(field);
    vmwrite(field, bad);
    g.rbx = (uint64_t)(uintptr_t)&target;
    int failed = vmx_enter(&g, 1);
    vmwrite(field, old);
    return failed;
}

static void expect_error(const char *name, uint64_t field, uint64_t bad, uint64_t error) {
    int failed = attempt(field, bad);
    uint64_t got = failed ? vmread(VM_INSTRUCTION_ERROR) : 0x10000 | vmread(EXIT_REASON);
    check(name, failed && got == error, got);
}

static void expect_guest_failure(const char *name, uint64_t field, uint64_t bad, uint64_t qualification) {
    int failed = attempt(field, bad);
    uint64_t reason = failed ? 0xE000 | vmread(VM_INSTRUCTION_ERROR) : vmread(EXIT_REASON);
    if (reason != (0x80000000u | 33)) { check(name, 0, reason); return; }
    check(name, vmread(EXIT_QUALIFICATION) == qualification, vmread(EXIT_QUALIFICATION));
}

static void baseline(const char *name) {
    vmwrite(GUEST_RIP, (uint64_t)(uintptr_t)guest_read);
    g.rbx = (uint64_t)(uintptr_t)&target;
    int failed = vmx_enter(&g, 1);
    uint64_t reason = failed ? 0xE000 | vmread(VM_INSTRUCTION_ERROR) : vmread(EXIT_REASON);
    check(name, reason == 18, reason);
}

/* A control bit that must be 0 (allowed-1 clear) or must be 1 (allowed-0 set); -1 if none. */
static int bit_fixed(uint64_t cap, int to_one) {
    for (int b = 0; b < 32; b++) {
        int allowed0 = (int)(cap >> b & 1), allowed1 = (int)(cap >> (32 + b) & 1);
        if (to_one ? allowed0 : !allowed1) return b;
    }
    return -1;
}

static void control_bits(const char *must0, const char *must1, uint64_t field, uint64_t cap) {
    uint64_t v = vmread(field);
    int b = bit_fixed(cap, 0);
    if (b >= 0) expect_error(must0, field, v | 1ULL << b, 7);
    b = bit_fixed(cap, 1);
    if (b >= 0) expect_error(must1, field, v & ~(1ULL << b), 7);
}

uint64_t bench_run(uint64_t iterations) {
    (void)iterations;
    uint64_t idt = faults_install();
    vmx_setup(guest_read, 0);
    vmwrite(0x6C0E, idt);
    uint64_t basic = rdmsr(0x480), misc = rdmsr(0x485);
    true_ctls = basic >> 55 & 1;
    uint64_t pin_cap = rdmsr(msr_of(0x481, 0x48D)), primary_cap = rdmsr(msr_of(0x482, 0x48E));
    uint64_t exit_cap = rdmsr(msr_of(0x483, 0x48F)), entry_cap = rdmsr(msr_of(0x484, 0x490));
    uint32_t r[4];
    cpuid(0x80000008, 0, r);
    uint64_t beyond = 1ULL << (r[0] & 0xFF);
    g.rbx = (uint64_t)(uintptr_t)&target;
    uint32_t reason = vmx_run(&g);
    check("baseline: VMLAUNCH, exit for VMCALL", reason == 18, reason);

    /* Control fields (26.2.1): VMfailValid(7). */
    control_bits("pin-based control with a must-be-0 bit set", "pin-based control with a must-be-1 bit clear", PIN, pin_cap);
    control_bits("primary control with a must-be-0 bit set", "primary control with a must-be-1 bit clear", PRIMARY, primary_cap);
    control_bits("VM-exit control with a must-be-0 bit set", "VM-exit control with a must-be-1 bit clear", EXIT_CONTROLS, exit_cap);
    control_bits("VM-entry control with a must-be-0 bit set", "VM-entry control with a must-be-1 bit clear", ENTRY_CONTROLS, entry_cap);
    if (primary_cap >> 63 & 1) {
        uint64_t secondary_cap = rdmsr(0x48B);
        int b = bit_fixed(secondary_cap, 0);
        vmwrite(PRIMARY, vmread(PRIMARY) | 1u << 31);
        if (b >= 0) expect_error("secondary control with a must-be-0 bit set", SECONDARY, 1ULL << b, 7);
        vmwrite(PRIMARY, vmread(PRIMARY) & ~(1u << 31));
    }
    expect_error("CR3-target count above IA32_VMX_MISC[24:16]", CR3_TARGET_COUNT, (misc >> 16 & 0x1FF) + 1, 7);
    uint64_t primary = vmread(PRIMARY);
    if (primary_cap >> 57 & 1) {                   /* use I/O bitmaps */
        vmwrite(IO_BITMAP_A, (uint64_t)(uintptr_t)msr_list & ~0xFFFULL);
        vmwrite(0x2002, (uint64_t)(uintptr_t)msr_list & ~0xFFFULL);
        vmwrite(PRIMARY, primary | 1 << 25);
        expect_error("I/O bitmap A address not 4-KByte aligned", IO_BITMAP_A, 0x1001000 | 0x800, 7);
        expect_error("I/O bitmap B address beyond the physical-address width", 0x2002, beyond, 7);
        vmwrite(PRIMARY, primary);
    }
    if (primary_cap >> 60 & 1) {                   /* use MSR bitmaps */
        vmwrite(MSR_BITMAP, 0x1000000);
        vmwrite(PRIMARY, primary | 1 << 28);
        expect_error("MSR bitmap address not 4-KByte aligned", MSR_BITMAP, 0x1000010, 7);
        vmwrite(PRIMARY, primary);
    }
    uint64_t pin = vmread(PIN);
    if (pin_cap >> 37 & 1) expect_error("virtual NMIs without NMI exiting", PIN, pin | 1 << 5, 7);
    if (primary_cap >> 54 & 1) expect_error("NMI-window exiting without virtual NMIs", PRIMARY, primary | 1 << 22, 7);
    if (exit_cap >> 54 & 1) expect_error("save preemption timer value without the preemption timer", EXIT_CONTROLS, vmread(EXIT_CONTROLS) | 1 << 22, 7);
    vmwrite(ENTRY_MSR_LOAD_COUNT, 1);
    expect_error("VM-entry MSR-load address not 16-byte aligned", ENTRY_MSR_LOAD_ADDR, (uint64_t)(uintptr_t)msr_list + 8, 7);
    vmwrite(ENTRY_MSR_LOAD_COUNT, 0);
    vmwrite(EXIT_MSR_STORE_COUNT, 1);
    expect_error("VM-exit MSR-store address not 16-byte aligned", EXIT_MSR_STORE_ADDR, (uint64_t)(uintptr_t)msr_list + 4, 7);
    vmwrite(EXIT_MSR_STORE_COUNT, 0);
    /* Event injection (26.2.1.3). */
    expect_error("injection: reserved interruption type 1", ENTRY_INTERRUPTION_INFO, 0x80000100 | 0x20, 7);
    expect_error("injection: NMI with vector 3", ENTRY_INTERRUPTION_INFO, 0x80000203, 7);
    expect_error("injection: hardware exception vector 32", ENTRY_INTERRUPTION_INFO, 0x80000320, 7);
    expect_error("injection: error code for a software interrupt", ENTRY_INTERRUPTION_INFO, 0x80000C80, 7);
    expect_error("injection: error code for #UD", ENTRY_INTERRUPTION_INFO, 0x80000B06, 7);
    expect_error("injection: reserved bits 30:12", ENTRY_INTERRUPTION_INFO, 0x80001306, 7);
    vmwrite(ENTRY_ERROR_CODE, 0x10000);
    expect_error("injection: error code with bits 31:16 set", ENTRY_INTERRUPTION_INFO, 0x80000B0D, 7);
    vmwrite(ENTRY_ERROR_CODE, 0);
    vmwrite(ENTRY_INSTRUCTION_LENGTH, 16);
    expect_error("injection: software interrupt with instruction length 16", ENTRY_INTERRUPTION_INFO, 0x80000480, 7);
    vmwrite(ENTRY_INSTRUCTION_LENGTH, 0);
    if (!(misc >> 30 & 1))
        expect_error("injection: software interrupt with instruction length 0", ENTRY_INTERRUPTION_INFO, 0x80000480, 7);
    /* 26.2.1.3: outside SMM both must be 0 (Bochs 2.7 fails the entry on guest state instead). */
    if (entry_cap >> 42 & 1)
        expect_error("entry to SMM outside SMM", ENTRY_CONTROLS, vmread(ENTRY_CONTROLS) | 1 << 10, 7);
    if (entry_cap >> 43 & 1)
        expect_error("deactivate dual-monitor treatment outside SMM", ENTRY_CONTROLS, vmread(ENTRY_CONTROLS) | 1 << 11, 7);
    baseline("baseline after the control-field checks");

    /* Host state (26.2.2-26.2.4): VMfailValid(8). */
    uint64_t cr0 = read_cr0(), cr4 = read_cr4();
    expect_error("host CR0 without NE (IA32_VMX_CR0_FIXED0)", 0x6C00, cr0 & ~(1ULL << 5), 8);
    expect_error("host CR4 without VMXE", 0x6C04, cr4 & ~(1ULL << 13), 8);
    expect_error("host CR3 beyond the physical-address width", 0x6C02, read_cr3() | beyond, 8);
    expect_error("host RIP not canonical", 0x6C16, 0x0000800000000000ULL, 8);
    expect_error("host CS selector 0", 0x0C02, 0, 8);
    expect_error("host TR selector 0", 0x0C0C, 0, 8);
    expect_error("host SS selector with RPL 3", 0x0C04, 0x13, 8);
    expect_error("host DS selector with TI set", 0x0C06, 0x14, 8);
    expect_error("host GDTR base not canonical", 0x6C0C, 0x0000800000000000ULL, 8);
    expect_error("host FS base not canonical", 0x6C06, 0x0000800000000000ULL, 8);
    expect_error("host CR4 without PAE, host address-space size 1", 0x6C04, cr4 & ~(1ULL << 5), 8);
    expect_error("host IA32_SYSENTER_EIP not canonical", 0x6C12, 0x0000800000000000ULL, 8);
    expect_error("host address-space size 0 from IA-32e mode", EXIT_CONTROLS, vmread(EXIT_CONTROLS) & ~(1ULL << 9), 8);
    baseline("baseline after the host-state checks");

    /* Guest state (26.3.1): exit reason 33 | 1 << 31; qualification 0 unless noted (26.8). */
    expect_guest_failure("guest CR0 without NE", 0x6800, cr0 & ~(1ULL << 5), 0);
    expect_guest_failure("guest CR4 without VMXE", 0x6804, cr4 & ~(1ULL << 13), 0);
    expect_guest_failure("guest CR3 beyond the physical-address width", 0x6802, read_cr3() | beyond, 0);
    if (vmread(ENTRY_CONTROLS) & 4)
        expect_guest_failure("guest DR7 bits 63:32 set (load debug controls)", 0x681A, 1ULL << 32 | 0x400, 0);
    expect_guest_failure("IA-32e mode guest with CR4.PAE = 0", 0x6804, cr4 & ~(1ULL << 5), 0);
    expect_guest_failure("guest IA32_SYSENTER_ESP not canonical", 0x6824, 0x0000800000000000ULL, 0);
    expect_guest_failure("guest RFLAGS bit 1 clear", 0x6820, 0, 0);
    expect_guest_failure("guest RFLAGS reserved bit 15 set", 0x6820, 0x8002, 0);
    /* 26.3.1.4: bits 63:N identical (N = linear-address width), so bit 48 set, not bit 47.
       Bochs 2.7 enters such a guest (which then triple-faults). */
    expect_guest_failure("guest RIP with bits 63:48 not identical, CS.L = 1", GUEST_RIP, 0x0001000000000000ULL, 0);
    expect_guest_failure("guest CS not a code segment", 0x4816, 0xA093, 0);
    expect_guest_failure("guest CS with L = 1 and D/B = 1", 0x4816, 0xE09B, 0);
    expect_guest_failure("guest CS limit 0xFFFFF000 with G = 1 (bits 11:0 clear need G = 0)", 0x4802, 0xFFFFF000, 0);
    expect_guest_failure("guest SS selector RPL != CS RPL", 0x0804, 0x13, 0);
    expect_guest_failure("guest SS DPL 3 != CS DPL 0", 0x4818, 0xC0F3, 0);
    expect_guest_failure("guest DS usable but not accessed (type 0)", 0x481A, 0xC090, 0);
    expect_guest_failure("guest TR unusable", 0x4822, 0x1008B, 0);
    expect_guest_failure("guest TR type 3 (16-bit busy) in IA-32e mode", 0x4822, 0x83, 0);
    vmwrite(0x4820, 0x82);                         /* LDTR usable (type 2, present) */
    expect_guest_failure("guest LDTR usable with TI set in its selector", 0x080C, 0x4, 0);
    vmwrite(0x4820, 0x10000);
    expect_guest_failure("guest GDTR limit above 0xFFFF", 0x4810, 0x10000, 0);
    expect_guest_failure("guest activity state 4", 0x4826, 4, 0);
    expect_guest_failure("guest interruptibility reserved bit 5", 0x4824, 1 << 5, 0);
    expect_guest_failure("guest interruptibility: blocking by STI and MOV SS", 0x4824, 3, 0);
    expect_guest_failure("guest interruptibility: blocking by STI with RFLAGS.IF = 0", 0x4824, 1, 0);
    expect_guest_failure("guest pending debug exceptions reserved bit 4", 0x6822, 1 << 4, 0);
    expect_guest_failure("VMCS link pointer not FFFFFFFF_FFFFFFFF: qualification 4", 0x2800, 0x1000001, 4);
    expect_guest_failure("inject external interrupt with RFLAGS.IF = 0", ENTRY_INTERRUPTION_INFO, 0x80000020, 0);
    baseline("baseline after the guest-state checks");

    /* MSR loading (26.4): reason 34 | 1 << 31, qualification = the failing entry's number. */
    msr_list[0] = 0x174;                           /* IA32_SYSENTER_CS */
    msr_list[1] = 0;
    msr_list[2] = 0xC0000100;                      /* IA32_FS_BASE may not be loaded this way */
    msr_list[3] = 0;
    vmwrite(ENTRY_MSR_LOAD_ADDR, (uint64_t)(uintptr_t)msr_list);
    int failed = attempt(ENTRY_MSR_LOAD_COUNT, 2);
    reason = failed ? 0xE000 | (uint32_t)vmread(VM_INSTRUCTION_ERROR) : (uint32_t)vmread(EXIT_REASON);
    check("MSR load of IA32_FS_BASE: reason 34 | 1 << 31", reason == (0x80000000u | 34), reason);
    check("MSR load failure: qualification = entry number 2", vmread(EXIT_QUALIFICATION) == 2, vmread(EXIT_QUALIFICATION));
    msr_list[2] = 0x174 | 1ULL << 32;              /* reserved bits 63:32 of the entry's first qword */
    failed = attempt(ENTRY_MSR_LOAD_COUNT, 2);
    reason = failed ? 0xE000 | (uint32_t)vmread(VM_INSTRUCTION_ERROR) : (uint32_t)vmread(EXIT_REASON);
    check("MSR-load entry with bits 63:32 set: reason 34, entry 2", reason == (0x80000000u | 34) && vmread(EXIT_QUALIFICATION) == 2, reason);
    baseline("baseline after the MSR-load checks");
    check_summary();
}
