/* Guest code of the EPT tests. Each routine does one access and ends with VMCALL (exit 18), so
   an access that causes no VM exit shows up as reason 18. RBX holds the address. */
    .text
    .code64
    .globl guest_read, guest_write, guest_jump
guest_read:                          /* RAX <- [RBX] */
    mov (%rbx), %rax
    vmcall
guest_write:                         /* [RBX] <- RAX */
    mov %rax, (%rbx)
    vmcall
guest_jump:                          /* continue at RBX (which should hold a VMCALL) */
    jmp *%rbx
