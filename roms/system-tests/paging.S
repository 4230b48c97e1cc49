/* paging.elf: 32-bit paging (4 KiB and 4 MiB pages) and PAE paging: #PF error codes (P, W, U,
 * RSVD, I/D) and CR2, WP, NX, SMEP, SMAP with STAC/CLAC, accessed and dirty bits, INVLPG, CR3
 * reloads and CR4.PGE with global pages. Only guaranteed TLB behaviour is checked: after INVLPG,
 * a CR3 write or a CR4.PGE toggle the new translation must be used.
 * Kernel pages are supervisor pages; the .user section and the user stack are user pages.
 * Not covered yet: 4-level/5-level paging, 1 GiB/2 MiB pages, protection keys. */
#include "lib.S"

#define P 1
#define W 2
#define U 4
#define A 0x20
#define D 0x40
#define PS 0x80
#define G 0x100
#define TEST_VA 0x400000        /* PDE 1: pt_test (32-bit paging) */
#define BIG_VA 0x800000         /* PDE 2: a 4 MiB page over physical 0 */
#define CR4_PGE 0x80
#define CR4_SMEP 0x100000
#define CR4_SMAP 0x200000

    .text
/* identity PTEs for 0-4 MiB in pt0 (32-bit) with flags in EDX; user pages get U */
fill_pt0:
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $12, %eax
    or $(P|W), %eax
    cmp $user_start, %eax
    jb 2f
    cmp $user_end, %eax
    jb 3f
2:  cmp $user_stack, %eax
    jb 4f
    cmp $user_stack_top, %eax
    jae 4f
3:  or $U, %eax
4:  mov %eax, pt0(,%ecx,4)
    inc %ecx
    cmp $1024, %ecx
    jne 1b
    ret

tests:
    call fill_pt0
    movl $pt0+(P|W|U), pd
    movl $pt_test+(P|W|U), pd+4
    movl $(0|P|W|PS), pd+8
    movl $page_a+(P|W), pt_test            /* TEST_VA: page_a, supervisor, writable */
    movl $page_b+(P|U), pt_test+4          /* +0x1000: page_b, user, read-only */
    movl $page_c+(P), pt_test+8            /* +0x2000: page_c, supervisor, read-only */
    movl $0, pt_test+12                    /* +0x3000: not present */
    movl $0xaaaa0001, page_a
    movl $0xbbbb0002, page_b
    movl $0xcccc0003, page_c
    mov $pd, %eax
    mov %eax, %cr3
    SET_CR cr4, CR4_PSE
    SET_CR cr0, CR0_PG

    CHECK_EQ TEST_VA, $0xaaaa0001, "32-bit paging: a 4 KiB page maps its frame"
    CHECK_EQ BIG_VA+page_b, $0xbbbb0002, "32-bit paging: a 4 MiB PSE page maps its frame"
    mov pt_test, %eax
    and $(A|D), %eax
    CHECK_EQ %eax, $A, "a read sets the PTE's accessed bit, not dirty"
    movl $0xaaaa0004, TEST_VA
    mov pt_test, %eax
    and $(A|D), %eax
    CHECK_EQ %eax, $(A|D), "a write sets the PTE's dirty bit"
    mov pd+4, %eax
    and $A, %eax
    CHECK_EQ %eax, $A, "the walk sets the PDE's accessed bit"
    mov pd+8, %eax
    and $(A|D), %eax
    CHECK_EQ %eax, $A, "a read through a 4 MiB page sets its PDE's accessed bit"

    TRY 1f
    mov TEST_VA+0x3010, %eax
1:  CHECK_FAULT 14, 0, "#PF(0) for a supervisor read of a not-present page"
    CHECK_EQ exc_cr2, $TEST_VA+0x3010, "CR2 = the linear address of the read"
    TRY 1f
    movl $0, TEST_VA+0x3ffe
1:  CHECK_FAULT 14, W, "#PF(W) for a supervisor write to a not-present page"
    CHECK_EQ exc_cr2, $TEST_VA+0x3ffe, "CR2 = the linear address of the write"

    /* CR0.WP */
    TRY 1f
    movl $0xcccc0005, TEST_VA+0x2000
1:  CHECK_NO_FAULT "CR0.WP=0: a supervisor write to a read-only page succeeds"
    CHECK_EQ page_c, $0xcccc0005, "the write reached the frame"
    SET_CR cr0, CR0_WP
    TRY 1f
    movl $0xcccc0006, TEST_VA+0x2000
1:  CHECK_FAULT 14, P|W, "CR0.WP=1: #PF(P|W) for a supervisor write to a read-only page"
    SET_CR cr0, 0, ~CR0_WP

    /* user accesses */
    RUN_USER user_read_supervisor
    CHECK_FAULT 14, P|U, "#PF(P|U) for a user read of a supervisor page"
    CHECK_EQ exc_cr2, $TEST_VA, "CR2 of the user read"
    RUN_USER user_write_readonly
    CHECK_FAULT 14, P|W|U, "#PF(P|W|U) for a user write to a read-only user page"
    RUN_USER user_read_user
    CHECK_FAULT 0x80, NO_ERROR, "a user read of a user page succeeds"
    RUN_USER user_read_notpresent
    CHECK_FAULT 14, U, "#PF(U) for a user read of a not-present page"

    /* instruction fetch: I/D is 0 in 32-bit paging without SMEP */
    TRY 1f
    mov $TEST_VA+0x3000, %eax
    call *%eax
1:  CHECK_FAULT 14, 0, "#PF(0) for a fetch from a not-present page (no I/D without NXE/SMEP)"
    CHECK_EQ exc_cr2, $TEST_VA+0x3000, "CR2 of the fetch"

    /* reserved bit in a 4 MiB PDE (bit 21) */
    movl $(0x200000|P|W|PS), pd+12
    TRY 1f
    mov BIG_VA+0x400000, %eax
    /* QEMU 7.2 TCG reports RSVD without P; the SDM (4.7) sets P: the entry is present */
1:  CHECK_FAULT 14, 0x9, "#PF(P|RSVD) for a 4 MiB PDE with reserved bit 21 # swemu-only"
    movl $0, pd+12

    /* TLB: INVLPG, CR3 reload, CR4.PGE */
    mov TEST_VA+0x1000, %eax               /* cache the translation */
    movl $page_c+(P|U), pt_test+4
    invlpg TEST_VA+0x1000
    CHECK_EQ TEST_VA+0x1000, $0xcccc0005, "after INVLPG the new PTE is used"
    mov TEST_VA+0x1000, %eax
    movl $page_b+(P|U), pt_test+4
    mov %cr3, %eax
    mov %eax, %cr3
    CHECK_EQ TEST_VA+0x1000, $0xbbbb0002, "after a CR3 write the new PTE is used"
    SET_CR cr4, CR4_PGE
    movl $page_c+(P|U|G), pt_test+4
    invlpg TEST_VA+0x1000
    mov TEST_VA+0x1000, %eax
    movl $page_a+(P|U|G), pt_test+4
    SET_CR cr4, 0, ~CR4_PGE
    CHECK_EQ TEST_VA+0x1000, $0xaaaa0004, "clearing CR4.PGE flushes global translations"
    movl $page_b+(P|U), pt_test+4
    mov %cr3, %eax
    mov %eax, %cr3

    /* SMEP and SMAP */
    mov %cr4, %eax
    or $CR4_SMEP, %eax
    mov %eax, %cr4
    TRY 1f
    call user_nop
1:  CHECK_FAULT 14, 0x11, "SMEP: #PF(P|I/D) for a supervisor fetch from a user page"
    CHECK_EQ exc_cr2, $user_nop, "CR2 of the SMEP fetch"
    SET_CR cr4, 0, ~CR4_SMEP
    SET_CR cr4, CR4_SMAP
    TRY 1f
    mov TEST_VA+0x1000, %eax
1:  CHECK_FAULT 14, P, "SMAP: #PF(P) for a supervisor read of a user page with AC=0"
    TRY 1f
    stac
    mov TEST_VA+0x1000, %eax
    clac
1:  CHECK_NO_FAULT "SMAP: STAC allows the read"
    TRY 1f
    clac
    movl $0, user_stack
1:  CHECK_FAULT 14, P|W, "SMAP: #PF(P|W) for a supervisor write to a user page after CLAC"
    SET_CR cr4, 0, ~CR4_SMAP
    SET_CR cr0, 0, ~CR0_PG

    /* ---- PAE paging ---- */
    xor %ecx, %ecx
1:  mov pt0(,%ecx,4), %eax
    mov %eax, pt0_pae(,%ecx,8)             /* the first 2 MiB: same flags */
    inc %ecx
    cmp $512, %ecx
    jne 1b
    movl $pd_pae+P, pdpt
    movl $pt0_pae+(P|W|U), pd_pae
    movl $pt_test_pae+(P|W|U), pd_pae+16   /* 0x400000 */
    movl $page_a+(P|W), pt_test_pae        /* TEST_VA: page_a */
    movl $user_nop_page+(P|W), pt_test_pae+8  /* +0x1000: a code page with XD */
    movl $0x80000000, pt_test_pae+12
    movl $page_b+(P|W), pt_test_pae+16     /* +0x2000: page_b with bit 51 (reserved) set */
    movl $0x00080000, pt_test_pae+20
    movl $page_c+(P|W), pt_test_pae+24     /* +0x3000: page_c with XD */
    movl $0x80000000, pt_test_pae+28
    mov $pdpt, %eax
    mov %eax, %cr3
    SET_CR cr4, CR4_PAE
    SET_CR cr0, CR0_PG
    mov TEST_VA, %eax
    CHECK_EQ %eax, $0xaaaa0004, "PAE: a 4 KiB page maps its frame"
    TRY 1f
    mov TEST_VA+0x3000, %eax
1:  CHECK_FAULT 14, 0x9, "PAE: #PF(P|RSVD) for XD=1 with EFER.NXE=0 # swemu-only"
    mov $0xc0000080, %ecx
    rdmsr
    or $0x800, %eax
    wrmsr
    TRY 1f
    mov TEST_VA+0x3000, %eax
1:  CHECK_NO_FAULT "PAE: with EFER.NXE=1 an XD page is readable"
    TRY 1f
    mov $TEST_VA+0x1000+(user_nop-user_read_supervisor), %eax
    call *%eax
1:  CHECK_FAULT 14, 0x11, "PAE: #PF(P|I/D) for a fetch from an XD page"
    TRY 1f
    mov $TEST_VA+0x5000, %eax
    call *%eax
1:  CHECK_FAULT 14, 0x10, "PAE with NXE: #PF(I/D) for a fetch from a not-present page"
    TRY 1f
    mov TEST_VA+0x2000, %eax
1:  CHECK_FAULT 14, 0x9, "PAE: #PF(P|RSVD) for a PTE with bit 51 set # swemu-only"
    movl $0, pt_test_pae+12
    invlpg TEST_VA+0x1000
    TRY 1f
    mov $TEST_VA+0x1000+(user_nop-user_read_supervisor), %eax
    call *%eax
1:  CHECK_NO_FAULT "PAE: after clearing XD and INVLPG the page is executable"
    SET_CR cr0, 0, ~CR0_PG
    SET_CR cr4, 0, ~CR4_PAE
    mov $0xc0000080, %ecx
    rdmsr
    and $~0x800, %eax
    wrmsr
    ret

    .section .user, "ax"
user_read_supervisor:
    mov TEST_VA, %eax
    int $0x80
user_write_readonly:
    movl $1, TEST_VA+0x1000
    int $0x80
user_read_user:
    mov TEST_VA+0x1000, %eax
    int $0x80
user_read_notpresent:
    mov TEST_VA+0x3000, %eax
    int $0x80
user_nop:
    ret
    .set user_nop_page, user_read_supervisor

    .bss
    .balign 4096
pd: .space 4096
pt0: .space 4096
pt_test: .space 4096
page_a: .space 4096
page_b: .space 4096
page_c: .space 4096
pdpt: .space 4096
pd_pae: .space 4096
pt0_pae: .space 4096
pt_test_pae: .space 4096
