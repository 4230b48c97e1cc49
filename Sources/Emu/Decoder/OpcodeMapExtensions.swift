/// Newer general-purpose and system encodings of the 0F, 0F38 and 0F3A maps this CPU model does
/// not implement (SDM vol. 2, tables and the instruction pages; APM vol. 3). They are
/// decoded for their exact length and validity and raise #UD when executed (`unsupported`).
enum OpcodeMapExtensions {
    static let lines: [String] = keyLocker + cet + moves + system + padlock

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
        "f3.0fae/4 unsupported Ey",
        "f3.0fae/6.r unsupported Rv", "f2.0fae/6.r unsupported Ry", "66.0fae/6.r unsupported Ry",
        "f3.0f3af0/0.r0 unsupported Ib",
        "f2.0f00/6 unsupported Ew o64",
    ]

    /// 0F 01 register forms (SDM table A-6): ENCLV, PCONFIG, WRMSRNS, RDMSRLIST, WRMSRLIST,
    /// ENCLS, TDX (TDCALL, SEAMRET, SEAMOPS, SEAMCALL), XSUSLDTRK, XRESLDTRK, UINTR, INVLPGB,
    /// TLBSYNC, SNP (PSMASH, PVALIDATE, RMPADJUST, RMPUPDATE), MCOMMIT.
    static let system: [String] = [
        "0f01/0.r0 unsupported", "0f01/0.r5 unsupported", "np.0f01/0.r6 unsupported",
        "f3.0f01/0.r6 unsupported", "f2.0f01/0.r6 unsupported",
        "0f01/1.r7 unsupported",
        "66.0f01/1.r4 unsupported", "66.0f01/1.r5 unsupported", "66.0f01/1.r6 unsupported",
        "66.0f01/1.r7 unsupported",
        "f2.0f01/5.r0 unsupported", "f2.0f01/5.r1 unsupported",
        "f3.0f01/5.r4 unsupported", "f3.0f01/5.r5 unsupported", "f3.0f01/5.r6 unsupported",
        "f3.0f01/5.r7 unsupported",
        "np.0f01/7.r6 unsupported", "np.0f01/7.r7 unsupported",
        "f3.0f01/7.r6 unsupported", "f3.0f01/7.r7 unsupported",
        "f2.0f01/7.r6 unsupported", "f2.0f01/7.r7 unsupported",
        "f3.0f01/7.r2 unsupported",
    ]

    /// VIA PadLock / Zhaoxin GMI (0F A6, 0F A7 register forms).
    static let padlock: [String] = [
        "0fa6/0.r0 unsupported", "0fa6/1.r0 unsupported", "0fa6/2.r0 unsupported", "f3.0fa6/5.r0 unsupported",
        "0fa7/0.r0 unsupported", "0fa7/1.r0 unsupported", "0fa7/2.r0 unsupported", "0fa7/3.r0 unsupported",
        "0fa7/4.r0 unsupported", "0fa7/5.r0 unsupported", "f3.0fa7/6.r0 unsupported",
    ]
}
