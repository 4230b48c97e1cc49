/// Which AMD XOP encodings exist and their field rules (APM vol. 4, XOP instruction reference and
/// appendix A; APM vol. 3 for TBM and LWP). XOP.pp must be 00b. The syntax is
/// `VectorTableBuilder`'s; map 8 takes an imm8, map 10 an imm32.
enum OpcodeMapXOP {
    static let lines: [String] = [
        // Map 8: VPMACS*, VPMADCS*, VPCMOV, VPPERM, VPROT* imm8, VPCOM*.
        "np.m8 85-87 w0 l0 ib", "np.m8 8e-8f w0 l0 ib",
        "np.m8 95-97 w0 l0 ib", "np.m8 9e-9f w0 l0 ib",
        "np.m8 a6 w0 l0 ib", "np.m8 b6 w0 l0 ib",
        "np.m8 a2 ib", "np.m8 a3 l0 ib",
        "np.m8 c0-c3 w0 l0 nv ib",
        "np.m8 cc-cf w0 l0 ib", "np.m8 ec-ef w0 l0 ib",
        // Map 9: TBM groups, LWP, VFRCZ*, VPROT*/VPSHL*/VPSHA* by register, VPHADD*/VPHSUB*.
        "np.m9 01/1 l0", "np.m9 01/2 l0", "np.m9 01/3 l0", "np.m9 01/4 l0",
        "np.m9 01/5 l0", "np.m9 01/6 l0", "np.m9 01/7 l0",
        "np.m9 02/1 l0", "np.m9 02/6 l0",
        "np.m9 12/0 l0 r nv", "np.m9 12/1 l0 r nv",
        "np.m9 80-81 w0 nv", "np.m9 82-83 w0 l0 nv",
        "np.m9 90-9b l0",
        "np.m9 c1-c3 w0 l0 nv", "np.m9 c6-c7 w0 l0 nv", "np.m9 cb w0 l0 nv",
        "np.m9 d1-d3 w0 l0 nv", "np.m9 d6-d7 w0 l0 nv", "np.m9 db w0 l0 nv",
        "np.m9 e1-e3 w0 l0 nv",
        // Map 10: TBM BEXTR imm32, LWPINS/LWPVAL.
        "np.m10 10 l0 nv id",
        "np.m10 12/0 l0 id", "np.m10 12/1 l0 id",
    ]
}
