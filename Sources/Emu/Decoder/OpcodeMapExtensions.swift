/// Newer general-purpose and system encodings of the 0F, 0F38 and 0F3A maps this CPU model does
/// not implement (SDM vol. 2, tables and the instruction pages; APM vol. 3). They are
/// decoded for their exact length and validity and raise #UD when executed (`unsupported`).
enum OpcodeMapExtensions {
    static let lines: [String] = keyLocker + cet + moves + system + padlock + sse4a

    /// Key Locker (AESENC128KL ... ENCODEKEY256, LOADIWKEY).
    static let keyLocker: [String] = [
        "f3.0f38d8/0.m unsupported M", "f3.0f38d8/1.m unsupported M",
        "f3.0f38d8/2.m unsupported M", "f3.0f38d8/3.m unsupported M",
        "f3.0f38dc unsupported Vx,Wx", "f3.0f38dd unsupported Vx,Mx",
        "f3.0f38de unsupported Vx,Mx", "f3.0f38df unsupported Vx,Mx",
        "f3.0f38fa unsupported Gd,Rd", "f3.0f38fb unsupported Gd,Rd",
    ]

    /// CET shadow stacks: WRSS, WRUSS, INCSSP, RSTORSSP, SAVEPREVSSP, SETSSBSY, CLRSSBSY.
    static let cet: [String] = [
        "np.0f38f6 unsupported My,Gy", "66.0f38f5 unsupported My,Gy",
        "f3.0fae/5.r unsupported Ry", "f3.0fae/6.m unsupported Mq",
        "f3.0f01/5.m unsupported Mq", "f3.0f01/5.r2 unsupported", "f3.0f01/5.r0 unsupported",
    ]

    /// MOVDIRI, MOVDIR64B, ENQCMD(S), RAO-INT (AADD, AAND, AOR, AXOR), PTWRITE, UMONITOR,
    /// UMWAIT, TPAUSE, HRESET, LKGS.
    static let moves: [String] = [
        "np.0f38f9 unsupported My,Gy", "66.0f38f8 unsupported Gv,M", "f2.0f38f8 unsupported Gv,M",
        "f3.0f38f8 unsupported Gv,M",
        "np.0f38fc unsupported My,Gy", "66.0f38fc unsupported My,Gy", "f2.0f38fc unsupported My,Gy",
        "f3.0f38fc unsupported My,Gy",
        "f3.0fae/4 unsupported Ey no66",
        "f3.0fae/6.r unsupported Rv", "f2.0fae/6.r unsupported Ry", "66.0fae/6.r unsupported Ry",
        "f3.0f3af0/0.r0 unsupported Ib",
        "f2.0f00/6 unsupported Ew o64",
    ]

    /// 0F 01 register forms (SDM table A-6): ENCLV, PCONFIG, WRMSRNS, RDMSRLIST, WRMSRLIST,
    /// PBNDKB, ERETS, ERETU, ENCLS, TDX (TDCALL, SEAMRET, SEAMOPS, SEAMCALL), XSUSLDTRK, XRESLDTRK, UINTR, INVLPGB,
    /// TLBSYNC, SNP (PSMASH, PVALIDATE, RMPADJUST, RMPUPDATE), MCOMMIT.
    static let system: [String] = [
        "np.0f01/0.r0 unsupported", "np.0f01/0.r5 unsupported", "np.0f01/0.r7 unsupported o64",
        "f2.0f01/1.r2 unsupported o64", "f3.0f01/1.r2 unsupported o64", "np.0f01/0.r6 unsupported",
        "f3.0f01/0.r6 unsupported o64", "f2.0f01/0.r6 unsupported o64",
        // TDX (TDCALL, SEAMRET, SEAMOPS, SEAMCALL), RDMSRLIST and WRMSRLIST are 64-bit only.
        "66.0f01/1.r4 unsupported o64", "66.0f01/1.r5 unsupported o64", "66.0f01/1.r6 unsupported o64",
        "66.0f01/1.r7 unsupported o64",
        "f2.0f01/5.r0 unsupported", "f2.0f01/5.r1 unsupported",
        "f3.0f01/5.r4 unsupported o64", "f3.0f01/5.r5 unsupported o64", "f3.0f01/5.r6 unsupported o64",
        "f3.0f01/5.r7 unsupported o64",
        "np.0f01/7.r6 unsupported", "np.0f01/7.r7 unsupported",
        // RMPADJUST, PSMASH, RMPUPDATE and RMPQUERY are 64-bit only; PVALIDATE is not.
        "f3.0f01/7.r6 unsupported o64", "f3.0f01/7.r7 unsupported o64",
        "f2.0f01/7.r6 unsupported o64", "f2.0f01/7.r7 unsupported",
        "f3.0f01/7.r2 unsupported", "f3.0f01/7.r5 unsupported o64",
    ]

    /// VIA PadLock / Zhaoxin GMI register forms: XSTORE (0F A7 /0) with any prefix, the rest of
    /// 0F A7 (XCRYPT*, CCS_ENCRYPT) and 0F A6 (XSHA*, CCS_HASH) only with REP (F3). MONTMUL
    /// (F3 0F A6 /0) is defined with a 32-bit address size only (see tools/decoder-oracle/README.md).
    static let padlock: [String] = [
        "np.0fa7/0.r unsupported", "66.0fa7/0.r unsupported", "f2.0fa7/0.r unsupported",
        "f3.0fa7/0.r unsupported", "f3.0fa7/1.r unsupported", "f3.0fa7/2.r unsupported",
        "f3.0fa7/3.r unsupported", "f3.0fa7/4.r unsupported", "f3.0fa7/5.r unsupported",
        "f3.0fa7/6.r unsupported", "f3.0fa7/7.r unsupported",
        "f3.0fa6/0.r unsupported a32", "f3.0fa6/1.r unsupported", "f3.0fa6/2.r unsupported",
        "f3.0fa6/3.r unsupported", "f3.0fa6/4.r unsupported", "f3.0fa6/5.r unsupported",
        "f3.0fa6/6.r unsupported", "f3.0fa6/7.r unsupported",
    ]

    /// SSE4A EXTRQ / INSERTQ with two imm8 (APM vol. 4); the imm16 operand stands for both.
    static let sse4a: [String] = [
        "66.0f78/0.r sse Ux,Iw", "f2.0f78 sse Vx,Ux,Iw",
    ]
}
