/// The general-purpose and system instructions of the two-byte (0F) opcode map
/// (SDM vol. 2, tables ). SSE/MMX rows are in `OpcodeMapSSE`.
enum OpcodeMap0F {
    static let lines: [String] = main + group6 + group7 + groupsRest

    static let main: [String] = [
        "0f02 lar Gv,Ew", "0f03 lsl Gv,Ew",
        "0f05 syscall", "0f06 clts", "0f07 sysret", "0f08 invd", "0f09 wbinvd", "0f0b ud2",
        "0f0d nop Ev", "0f0e unsupported", "0f0f threeDNow Pq,Qq,Ib",
        "0f18-1f nop Ev",
        "0f20 movFromCR Rd,Cd", "0f21 movFromDR Rd,Dd", "0f22 movToCR Cd,Rd", "0f23 movToDR Dd,Rd",
        "0f30 wrmsr", "0f31 rdtsc", "0f32 rdmsr", "0f33 rdpmc", "0f34 sysenter", "0f35 sysexit",
        "np.0f37 getsec",
        "0f40-4f cmovcc Gv,Ev cc",
        "0f80-8f jcc Jz f64 cc",
        "0f90-9f setcc Eb cc",
        "0fa0 pushSreg sub=4 d64", "0fa1 popSreg sub=4 d64", "0fa2 cpuid", "0fa3 bt Ev,Gv",
        "0fa4 shld Ev,Gv,Ib", "0fa5 shld Ev,Gv,CL",
        "0fa8 pushSreg sub=5 d64", "0fa9 popSreg sub=5 d64", "0faa rsm", "0fab bts Ev,Gv lock",
        "0fac shrd Ev,Gv,Ib", "0fad shrd Ev,Gv,CL", "0faf imul Gv,Ev",
        "0fb0 cmpxchg Eb,Gb lock", "0fb1 cmpxchg Ev,Gv lock", "0fb2 lss Gv,Mp", "0fb3 btr Ev,Gv lock",
        "0fb4 lfs Gv,Mp", "0fb5 lgs Gv,Mp", "0fb6 movzx Gv,Eb sub=1", "0fb7 movzx Gv,Ew sub=2",
        "f3.0fb8 popcnt Gv,Ev", "0fb9 ud1 Gv,Ev", "0fbb btc Ev,Gv lock",
        "0fbc bsf Gv,Ev", "f3.0fbc tzcnt Gv,Ev", "0fbd bsr Gv,Ev", "f3.0fbd lzcnt Gv,Ev",
        "0fbe movsx Gv,Eb sub=1", "0fbf movsx Gv,Ew sub=2",
        "0fc0 xadd Eb,Gb lock", "0fc1 xadd Ev,Gv lock", "np.0fc3 movnti My,Gy",
        "0fc8-cf bswap Zv",
        "0fff ud0 Gv,Ev",
        // 0F 38 and 0F 3A general-purpose rows.
        "np.0f38f0 movbe Gv,Mv", "np.0f38f1 movbe Mv,Gv", "66.0f38f0 movbe Gv,Mv", "66.0f38f1 movbe Mv,Gv",
        "f2.0f38f0 crc32 Gy,Eb", "f2.0f38f1 crc32 Gy,Ev",
        "66.0f38f6 adcx Gy,Ey", "f3.0f38f6 adox Gy,Ey",
        "66.0f3880 invept Gy,Mdq", "66.0f3881 invvpid Gy,Mdq", "66.0f3882 invpcid Gy,Mdq",
    ]

    static let group6: [String] = [
        "0f00/0 sldt Ev", "0f00/1 str Ev", "0f00/2 lldt Ew", "0f00/3 ltr Ew",
        "0f00/4 verr Ew", "0f00/5 verw Ew",
    ]

    static let group7: [String] = [
        "0f01/0.m sgdt M", "0f01/1.m sidt M", "0f01/2.m lgdt M", "0f01/3.m lidt M",
        "0f01/4 smsw Ev", "0f01/6 lmsw Ew", "0f01/7.m invlpg M",
        "np.0f01/0.r1 vmcall", "np.0f01/0.r2 vmlaunch", "np.0f01/0.r3 vmresume", "np.0f01/0.r4 vmxoff",
        "np.0f01/1.r0 monitor", "np.0f01/1.r1 mwait", "np.0f01/1.r2 clac", "np.0f01/1.r3 stac", "np.0f01/1.r7 unsupported",
        "np.0f01/2.r0 xgetbv", "np.0f01/2.r1 xsetbv", "np.0f01/2.r4 vmfunc", "np.0f01/2.r5 unsupported",
        "np.0f01/2.r6 unsupported", "np.0f01/2.r7 unsupported",
        "0f01/3.r0 vmrun", "0f01/3.r1 vmmcall", "0f01/3.r2 vmload", "0f01/3.r3 vmsave",
        "0f01/3.r4 stgi", "0f01/3.r5 clgi", "0f01/3.r6 skinit", "0f01/3.r7 invlpga",
        "np.0f01/5.r0 serialize", "np.0f01/5.r6 rdpkru", "np.0f01/5.r7 wrpkru",
        "0f01/7.r0 swapgs o64", "0f01/7.r1 rdtscp", "np.0f01/7.r2 monitorx", "np.0f01/7.r3 mwaitx",
        "0f01/7.r4 clzero", "np.0f01/7.r5 rdpru",
    ]

    static let groupsRest: [String] = [
        "0fba/4 bt Ev,Ib", "0fba/5 bts Ev,Ib lock", "0fba/6 btr Ev,Ib lock", "0fba/7 btc Ev,Ib lock",
        "0fc7/1.m cmpxchg8b Mq lock",
        "np.0fc7/3.m xrstors M", "np.0fc7/4.m xsavec M", "np.0fc7/5.m xsaves M",
        "np.0fc7/6.m vmptrld Mq", "66.0fc7/6.m vmclear Mq", "f3.0fc7/6.m vmxon Mq",
        "np.0fc7/7.m vmptrst Mq",
        "np.0fc7/6.r rdrand Rv", "66.0fc7/6.r rdrand Rv", "np.0fc7/7.r rdseed Rv", "66.0fc7/7.r rdseed Rv",
        "f3.0fc7/7.r rdpid Ry", "f3.0fc7/6.r unsupported Rq o64",
        "np.0fae/0.m fxsave M", "np.0fae/1.m fxrstor M", "np.0fae/2.m ldmxcsr M", "np.0fae/3.m stmxcsr M",
        "np.0fae/4.m xsave M", "np.0fae/5.m xrstor M", "np.0fae/6.m xsaveopt M", "np.0fae/7.m clflush M",
        "66.0fae/6.m clwb M", "66.0fae/7.m clflushopt M",
        "np.0fae/5.r lfence", "np.0fae/6.r mfence", "np.0fae/7.r sfence",
        "f3.0fae/0.r rdfsbase Ry o64", "f3.0fae/1.r rdgsbase Ry o64",
        "f3.0fae/2.r wrfsbase Ry o64", "f3.0fae/3.r wrgsbase Ry o64",
    ]
}
