/// Which VEX encodings exist and their field rules (SDM vol. 2, the "VEX.L.pp.mmmmm.W" lines of
/// the instruction pages and appendix A; AMD APM vol. 4 for FMA4 and VPERMIL2PS/PD). The syntax
/// is `VectorTableBuilder`'s. Without an `l` flag an instruction takes VEX.128 and VEX.256;
/// without a `w` flag it ignores VEX.W (WIG).
enum OpcodeMapVEXRules {
    static let lines: [String] = map1 + map2 + map3 + masks + amx

    /// VEX.0F (SDM table A-3 VEX rows).
    static let map1: [String] = [
        "np.0f 10-11 nv", "66.0f 10-11 nv", "f3.0f 10-11 lig nvm", "f2.0f 10-11 lig nvm",
        "np.0f 12 l0", "66.0f 12 l0 m", "f3.0f 12 nv", "f2.0f 12 nv",
        "np.0f 13 l0 m nv", "66.0f 13 l0 m nv",
        "np.0f 14-15", "66.0f 14-15",
        "np.0f 16 l0", "66.0f 16 l0 m", "f3.0f 16 nv",
        "np.0f 17 l0 m nv", "66.0f 17 l0 m nv",
        "np.0f 28-29 nv", "66.0f 28-29 nv",
        "f3.0f 2a lig", "f2.0f 2a lig",
        "np.0f 2b m nv", "66.0f 2b m nv",
        "f3.0f 2c-2d lig nv", "f2.0f 2c-2d lig nv",
        "np.0f 2e-2f lig nv", "66.0f 2e-2f lig nv",
        "np.0f 50 r nv", "66.0f 50 r nv",
        "np.0f 51 nv", "66.0f 51 nv", "f3.0f 51 lig", "f2.0f 51 lig",
        "np.0f 52-53 nv", "f3.0f 52-53 lig",
        "np.0f 54-59", "66.0f 54-59", "f3.0f 58-59 lig", "f2.0f 58-59 lig",
        "np.0f 5a nv", "66.0f 5a nv", "f3.0f 5a lig", "f2.0f 5a lig",
        "np.0f 5b nv", "66.0f 5b nv", "f3.0f 5b nv",
        "np.0f 5c-5f", "66.0f 5c-5f", "f3.0f 5c-5f lig", "f2.0f 5c-5f lig",
        "66.0f 60-6d",
        "66.0f 6e l0 nv", "66.0f 6f nv", "f3.0f 6f nv",
        "66.0f 70 nv ib", "f3.0f 70 nv ib", "f2.0f 70 nv ib",
        "66.0f 71/2 r ib", "66.0f 71/4 r ib", "66.0f 71/6 r ib",
        "66.0f 72/2 r ib", "66.0f 72/4 r ib", "66.0f 72/6 r ib",
        "66.0f 73/2 r ib", "66.0f 73/3 r ib", "66.0f 73/6 r ib", "66.0f 73/7 r ib",
        "66.0f 74-76",
        "np.0f 77 nomodrm nv",
        "66.0f 7c-7d", "f2.0f 7c-7d",
        "66.0f 7e l0 nv", "f3.0f 7e l0 nv",
        "66.0f 7f nv", "f3.0f 7f nv",
        "np.0f ae/2 m l0 nv", "np.0f ae/3 m l0 nv",
        "np.0f c2 ib", "66.0f c2 ib", "f3.0f c2 lig ib", "f2.0f c2 lig ib",
        "66.0f c4 l0 ib", "66.0f c5 l0 r nv ib",
        "np.0f c6 ib", "66.0f c6 ib",
        "66.0f d0", "f2.0f d0",
        "66.0f d1-d5", "66.0f d6 l0 nv", "66.0f d7 r nv", "66.0f d8-df",
        "66.0f e0-e5", "66.0f e6 nv", "f3.0f e6 nv", "f2.0f e6 nv", "66.0f e7 m nv", "66.0f e8-ef",
        "f2.0f f0 m nv",
        "66.0f f1-f6", "66.0f f7 l0 r nv", "66.0f f8-fe",
    ]

    /// VEX.0F38 (SDM table A-4 VEX rows).
    static let map2: [String] = [
        "66.0f38 00-0b",
        "66.0f38 0c-0d w0", "66.0f38 0e-0f w0 nv",
        "66.0f38 13 w0 nv",
        "66.0f38 16 w0 l1",
        "66.0f38 17 nv",
        "66.0f38 18 w0 nv", "66.0f38 19 w0 l1 nv", "66.0f38 1a w0 l1 m nv",
        "66.0f38 1c-1e nv",
        "66.0f38 20-25 nv",
        "66.0f38 28-29", "66.0f38 2a m nv", "66.0f38 2b",
        "66.0f38 2c-2f w0 m",
        "66.0f38 30-35 nv",
        "66.0f38 36 w0 l1",
        "66.0f38 37-40",
        "66.0f38 41 l0 nv",
        "66.0f38 45", "66.0f38 46 w0", "66.0f38 47",
        // AVX-VNNI, AVX-VNNI-INT8.
        "66.0f38 50-53 w0", "np.0f38 50-51 w0", "f3.0f38 50-51 w0", "f2.0f38 50-51 w0",
        "66.0f38 58-59 w0 nv", "66.0f38 5a w0 l1 m nv",
        // AVX-NE-CONVERT.
        "f3.0f38 72 w0 nv",
        "66.0f38 78-79 w0 nv",
        "66.0f38 8c m", "66.0f38 8e m",
        "66.0f38 90-93 vsib g",
        "66.0f38 96-98", "66.0f38 99 lig", "66.0f38 9a", "66.0f38 9b lig", "66.0f38 9c", "66.0f38 9d lig",
        "66.0f38 9e", "66.0f38 9f lig",
        "66.0f38 a6-a8", "66.0f38 a9 lig", "66.0f38 aa", "66.0f38 ab lig", "66.0f38 ac", "66.0f38 ad lig",
        "66.0f38 ae", "66.0f38 af lig",
        "np.0f38 b0 w0 m nv", "66.0f38 b0 w0 m nv", "f3.0f38 b0 w0 m nv", "f2.0f38 b0 w0 m nv",
        "66.0f38 b1 w0 m nv", "f3.0f38 b1 w0 m nv",
        // AVX-IFMA.
        "66.0f38 b4-b5 w1",
        "66.0f38 b6-b8", "66.0f38 b9 lig", "66.0f38 ba", "66.0f38 bb lig", "66.0f38 bc", "66.0f38 bd lig",
        "66.0f38 be", "66.0f38 bf lig",
        // SHA512, SM3, SM4.
        "f2.0f38 cb w0 l1 r", "f2.0f38 cc-cd w0 l1 r nv",
        "66.0f38 cf w0",
        // AVX-VNNI-INT16.
        "np.0f38 d2-d3 w0", "66.0f38 d2-d3 w0", "f3.0f38 d2-d3 w0",
        "np.0f38 da w0 l0", "66.0f38 da w0 l0", "f3.0f38 da w0", "f2.0f38 da w0",
        "66.0f38 db l0 nv", "66.0f38 dc-df",
        // CMPccXADD.
        "66.0f38 e0-ef l0 m o64",
        // BMI1, BMI2.
        "np.0f38 f2 l0",
        "np.0f38 f3/1 l0", "np.0f38 f3/2 l0", "np.0f38 f3/3 l0",
        "np.0f38 f5 l0", "f3.0f38 f5 l0", "f2.0f38 f5 l0",
        "f2.0f38 f6 l0",
        "np.0f38 f7 l0", "66.0f38 f7 l0", "f3.0f38 f7 l0", "f2.0f38 f7 l0",
    ]

    /// VEX.0F3A (SDM table A-5 VEX rows; FMA4 and VPERMIL2PS/PD from the APM).
    static let map3: [String] = [
        "66.0f3a 00-01 w1 l1 nv ib", "66.0f3a 02 w0 ib", "66.0f3a 04-05 w0 nv ib", "66.0f3a 06 w0 l1 ib",
        "66.0f3a 08-09 nv ib", "66.0f3a 0a-0b lig ib", "66.0f3a 0c-0f ib",
        "66.0f3a 14-17 l0 nv ib",
        "66.0f3a 18 w0 l1 ib", "66.0f3a 19 w0 l1 nv ib", "66.0f3a 1d w0 nv ib",
        "66.0f3a 20-22 l0 ib",
        "66.0f3a 38 w0 l1 ib", "66.0f3a 39 w0 l1 nv ib",
        "66.0f3a 40 ib", "66.0f3a 41 l0 ib", "66.0f3a 42 ib", "66.0f3a 44 ib",
        "66.0f3a 46 w0 l1 ib",
        "66.0f3a 48-49 ib",
        "66.0f3a 4a-4c w0 ib",
        "66.0f3a 5c-5f ib", "66.0f3a 60-63 l0 nv ib",
        "66.0f3a 68-69 ib", "66.0f3a 6a-6b lig ib", "66.0f3a 6c-6d ib", "66.0f3a 6e-6f lig ib",
        "66.0f3a 78-79 ib", "66.0f3a 7a-7b lig ib", "66.0f3a 7c-7d ib", "66.0f3a 7e-7f lig ib",
        "66.0f3a ce-cf w1 ib",
        "66.0f3a de w0 l0 ib",
        "66.0f3a df l0 nv ib",
        "f2.0f3a f0 l0 nv ib",
    ]

    /// The AVX-512 opmask instructions (SDM, KADDW ... KXORW): register operands only.
    static let masks: [String] = [
        "np.0f 41-42 l1 r kr", "66.0f 41-42 l1 r kr",
        "np.0f 44 l0 r nv kr", "66.0f 44 l0 r nv kr",
        "np.0f 45-47 l1 r kr", "66.0f 45-47 l1 r kr",
        "np.0f 4a l1 r kr", "66.0f 4a l1 r kr",
        "np.0f 4b l1 r kr", "66.0f 4b w0 l1 r kr",
        "np.0f 90 l0 nv kr", "66.0f 90 l0 nv kr",
        "np.0f 91 l0 m nv kr", "66.0f 91 l0 m nv kr",
        "np.0f 92 w0 l0 r nv kr", "66.0f 92 w0 l0 r nv kr", "f2.0f 92 l0 r nv kr",
        "np.0f 93 w0 l0 r nv", "66.0f 93 w0 l0 r nv", "f2.0f 93 l0 r nv",
        "np.0f 98-99 l0 r nv kr", "66.0f 98-99 l0 r nv kr",
        "66.0f3a 30-33 l0 r nv ib kr",
    ]

    /// AMX (SDM, LDTILECFG ... TDPFP16PS, TCMMIMFP16PS): 64-bit mode only.
    static let amx: [String] = [
        "np.0f38 49/0 w0 l0 m nv o64", "66.0f38 49/0 w0 l0 m nv o64",
        "np.0f38 49/0 w0 l0 r nv rm0 o64", "f2.0f38 49 w0 l0 r nv rm0 o64 kr",
        "66.0f38 4b w0 l0 vsib nv o64 kr", "f3.0f38 4b w0 l0 vsib nv o64 kr", "f2.0f38 4b w0 l0 vsib nv o64 kr",
        "f3.0f38 5c w0 l0 r tiles o64", "f2.0f38 5c w0 l0 r tiles o64",
        "np.0f38 5e w0 l0 r tiles o64", "66.0f38 5e w0 l0 r tiles o64", "f3.0f38 5e w0 l0 r tiles o64",
        "f2.0f38 5e w0 l0 r tiles o64",
        "np.0f38 6c w0 l0 r tiles o64", "66.0f38 6c w0 l0 r tiles o64",
    ]
}
