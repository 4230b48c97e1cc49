/* Code that instructions.c runs at CPL 3 (64-bit, selector 0x3B) and in compatibility mode
   (CPL 0, selector 0x28): one VMX instruction, then INT3, which shows that it did not fault
   (at CPL 3 the INT3 itself raises #GP with error 0x1A: its gate has DPL 0). */
    .text
    .code64
    .globl user_vmxon, user_vmxoff, user_vmptrst, user_vmread, user_vmcall, user_invept
user_vmxon:   vmxon (%rsp)
              int3
user_vmxoff:  vmxoff
              int3
user_vmptrst: vmptrst (%rsp)
              int3
user_vmread:  vmread %rax, %rbx
              int3
user_vmcall:  vmcall
              int3
user_invept:  invept (%rsp), %rax
              int3

    .code32
    .globl compat_vmxon, compat_vmxoff, compat_vmptrst, compat_vmcall, compat_vmread
compat_vmxon:   vmxon (%esp)
                int3
compat_vmxoff:  vmxoff
                int3
compat_vmptrst: vmptrst (%esp)
                int3
compat_vmcall:  vmcall
                int3
compat_vmread:  vmread %eax, %ebx
                int3
    .code64

/* Guest code: one VMX instruction (which exits in VMX non-root operation), then VMCALL. */
    .code64
    .globl g_vmclear, g_vmptrld, g_vmptrst, g_vmxon, g_vmread, g_vmwrite, g_invept, g_invvpid
    .globl g_vmlaunch, g_vmresume, g_vmxoff
g_vmclear:  vmclear 8(%rbx)
            vmcall
g_vmptrld:  vmptrld 8(%rbx)
            vmcall
g_vmptrst:  vmptrst 8(%rbx)
            vmcall
g_vmxon:    vmxon 8(%rbx)
            vmcall
g_vmread:   vmread %rax, %rbx
            vmcall
g_vmwrite:  vmwrite %rbx, %rax
            vmcall
g_invept:   invept (%rbx), %rcx
            vmcall
g_invvpid:  invvpid (%rbx), %rcx
            vmcall
g_vmlaunch: vmlaunch
            vmcall
g_vmresume: vmresume
            vmcall
g_vmxoff:   vmxoff
            vmcall
