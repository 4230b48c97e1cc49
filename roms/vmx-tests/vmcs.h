/* VMCS field encodings (SDM vol. 3, appendix B) used by the vmx-tests images; the fields the
   VMX host itself needs (exit reason, qualification, guest RIP...) are in ../bench/vmxlib/vmx.h. */
#ifndef VMCS_H
#define VMCS_H

#define NOTIFICATION_VECTOR      0x0002
#define CS_SELECTOR              0x0802
#define GUEST_INTERRUPT_STATUS   0x0810
#define IO_BITMAP_A              0x2000
#define IO_BITMAP_B              0x2002
#define MSR_BITMAP               0x2004
#define EXIT_MSR_STORE_ADDR      0x2006
#define ENTRY_MSR_LOAD_ADDR      0x200A
#define TSC_OFFSET               0x2010
#define VIRTUAL_APIC_ADDRESS     0x2012
#define APIC_ACCESS_ADDRESS      0x2014
#define DESCRIPTOR_ADDRESS       0x2016
#define VM_FUNCTION_CONTROLS     0x2018
#define EPT_POINTER              0x201A
#define EPTP_LIST_ADDRESS        0x2024
#define XSS_EXITING_BITMAP       0x202C
#define TSC_MULTIPLIER           0x2032
#define VMCS_LINK_POINTER        0x2800
#define GUEST_EFER               0x2806
#define PIN                      0x4000
#define PRIMARY                  0x4002
#define EXCEPTION_BITMAP         0x4004
#define PFEC_MASK                0x4006
#define PFEC_MATCH               0x4008
#define CR3_TARGET_COUNT         0x400A
#define EXIT_CONTROLS            0x400C
#define EXIT_MSR_STORE_COUNT     0x400E
#define ENTRY_CONTROLS           0x4012
#define ENTRY_MSR_LOAD_COUNT     0x4014
#define ENTRY_INTERRUPTION_INFO  0x4016
#define ENTRY_ERROR_CODE         0x4018
#define ENTRY_INSTRUCTION_LENGTH 0x401A
#define TPR_THRESHOLD            0x401C
#define SECONDARY                0x401E
#define PLE_GAP                  0x4020
#define PLE_WINDOW               0x4022
#define EXIT_INTERRUPTION_INFO   0x4404
#define EXIT_INTERRUPTION_ERROR  0x4406
#define IDT_VECTORING_INFO       0x4408
#define IDT_VECTORING_ERROR      0x440A
#define EXIT_INSTRUCTION_INFO    0x440E
#define CS_LIMIT                 0x4802
#define GUEST_IDTR_LIMIT         0x4812
#define CS_AR                    0x4816
#define GUEST_INTERRUPTIBILITY   0x4824
#define PREEMPTION_TIMER         0x482E
#define CR0_MASK                 0x6000
#define CR4_MASK                 0x6002
#define CR0_SHADOW               0x6004
#define CR4_SHADOW               0x6006
#define GUEST_LINEAR_ADDRESS     0x640A
#define GUEST_CR0                0x6800
#define GUEST_CR3                0x6802
#define GUEST_CR4                0x6804
#define CS_BASE                  0x6808
#define GUEST_IDTR_BASE          0x6818
#define GUEST_RSP                0x681C
#define GUEST_RFLAGS             0x6820
#define GUEST_PENDING_DBG        0x6822

#endif
