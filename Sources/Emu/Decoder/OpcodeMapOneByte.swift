/// The one-byte opcode map (SDM vol. 2, table A-2). Prefix bytes and the 0F escape are handled by
/// the decoder before this table is consulted.
enum OpcodeMapOneByte {
    static let lines: [String] = alu + rest + groups

    static let alu: [String] = {
        var l: [String] = []
        for (i, op) in ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"].enumerated() {
            let b = i * 8
            let lock = op == "cmp" ? "" : " lock"
            l += ["\(hex(b)) \(op) Eb,Gb\(lock)", "\(hex(b + 1)) \(op) Ev,Gv\(lock)",
                  "\(hex(b + 2)) \(op) Gb,Eb", "\(hex(b + 3)) \(op) Gv,Ev",
                  "\(hex(b + 4)) \(op) AL,Ib", "\(hex(b + 5)) \(op) rAX,Iz"]
            l += ["80/\(i) \(op) Eb,Ib\(lock)", "81/\(i) \(op) Ev,Iz\(lock)",
                  "82/\(i) \(op) Eb,Ib\(lock) i64", "83/\(i) \(op) Ev,Ib\(lock)"]
        }
        return l
    }()

    static func hex(_ v: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[(v >> 4) & 15], digits[v & 15]])
    }

    static let rest: [String] = [
        "06 pushSreg sub=0 i64", "07 popSreg sub=0 i64", "0e pushSreg sub=1 i64",
        "16 pushSreg sub=2 i64", "17 popSreg sub=2 i64", "1e pushSreg sub=3 i64", "1f popSreg sub=3 i64",
        "27 daa i64", "2f das i64", "37 aaa i64", "3f aas i64",
        "40-47 inc Zv i64", "48-4f dec Zv i64",
        "50-57 push Zv d64", "58-5f pop Zv d64",
        "60 pusha i64", "61 popa i64", "62 bound Gv,Mv i64", "63 arpl Ew,Gw i64", "63 movsxd Gv,Ed o64",
        "68 push Iz d64", "69 imul Gv,Ev,Iz", "6a push Ib d64", "6b imul Gv,Ev,Ib",
        "6c ins Yb,DX", "6d ins Yz,DX", "6e outs DX,Xb", "6f outs DX,Xz",
        "70-7f jcc Jb f64 cc",
        "84 test Eb,Gb", "85 test Ev,Gv", "86 xchg Eb,Gb lock", "87 xchg Ev,Gv lock",
        "88 mov Eb,Gb", "89 mov Ev,Gv", "8a mov Gb,Eb", "8b mov Gv,Ev",
        "8d lea Gv,M",
        // MOV Sreg: segment registers 6 and 7 do not exist; MOV to CS is #UD.
        "8c/0 movSreg Ev,Sw", "8c/1 movSreg Ev,Sw", "8c/2 movSreg Ev,Sw", "8c/3 movSreg Ev,Sw",
        "8c/4 movSreg Ev,Sw", "8c/5 movSreg Ev,Sw",
        "8e/0 movToSreg Sw,Ew", "8e/1 movToSreg Sw,Ew ud", "8e/2 movToSreg Sw,Ew", "8e/3 movToSreg Sw,Ew", "8e/4 movToSreg Sw,Ew",
        "8e/5 movToSreg Sw,Ew",
        "90-97 xchg Zv,rAX",
        "98 cbw", "99 cwd", "9a callFar Ap i64", "9b wait", "9c pushf d64", "9d popf d64",
        "9e sahf", "9f lahf",
        "a0 mov AL,Ob", "a1 mov rAX,Ov", "a2 mov Ob,AL", "a3 mov Ov,rAX",
        "a4 movs Yb,Xb", "a5 movs Yv,Xv", "a6 cmps Xb,Yb", "a7 cmps Xv,Yv",
        "a8 test AL,Ib", "a9 test rAX,Iz",
        "aa stos Yb,AL", "ab stos Yv,rAX", "ac lods AL,Xb", "ad lods rAX,Xv", "ae scas AL,Yb", "af scas rAX,Yv",
        "b0-b7 mov Zb,Ib", "b8-bf mov Zv,Iv",
        "c2 ret Iw f64", "c3 ret f64", "c4 les Gz,Mp i64", "c5 lds Gz,Mp i64",
        "c8 enter Iw,Ib d64", "c9 leave d64", "ca retFar Iw", "cb retFar",
        "cc int3", "cd int Ib", "ce into i64", "cf iret",
        "d4 aam Ib i64", "d5 aad Ib i64", "d6 salc i64", "d7 xlat",
        "e0 loopne Jb f64", "e1 loope Jb f64", "e2 loop Jb f64", "e3 jrcxz Jb f64",
        "e4 inImm AL,Ib", "e5 inImm eAX,Ib", "e6 outImm Ib,AL", "e7 outImm Ib,eAX",
        "e8 call Jz f64", "e9 jmp Jz f64", "ea jmpFar Ap i64", "eb jmp Jb f64",
        "ec inDX AL,DX", "ed inDX eAX,DX", "ee outDX DX,AL", "ef outDX DX,eAX",
        "f1 int1", "f4 hlt", "f5 cmc",
        "f8 clc", "f9 stc", "fa cli", "fb sti", "fc cld", "fd std",
    ]

    static let groups: [String] = [
        "8f/0 pop Ev d64",
        "c6/0 mov Eb,Ib", "c7/0 mov Ev,Iz",
        "c6/7.r0 unsupported Ib", "c7/7.r0 unsupported Jz",
        "f6/0 test Eb,Ib", "f6/1 test Eb,Ib", "f6/2 not Eb lock", "f6/3 neg Eb lock",
        "f6/4 mul Eb", "f6/5 imul1 Eb", "f6/6 div Eb", "f6/7 idiv Eb",
        "f7/0 test Ev,Iz", "f7/1 test Ev,Iz", "f7/2 not Ev lock", "f7/3 neg Ev lock",
        "f7/4 mul Ev", "f7/5 imul1 Ev", "f7/6 div Ev", "f7/7 idiv Ev",
        "fe/0 inc Eb lock", "fe/1 dec Eb lock",
        "ff/0 inc Ev lock", "ff/1 dec Ev lock", "ff/2 callIndirect Ev f64", "ff/3 callFarIndirect Mp",
        "ff/4 jmpIndirect Ev f64", "ff/5 jmpFarIndirect Mp", "ff/6 push Ev d64",
    ] + shifts

    static let shifts: [String] = {
        var l: [String] = []
        for (i, op) in ["rol", "ror", "rcl", "rcr", "shl", "shr", "shl", "sar"].enumerated() {
            l += ["c0/\(i) \(op) Eb,Ib", "c1/\(i) \(op) Ev,Ib", "d0/\(i) \(op) Eb,1",
                  "d1/\(i) \(op) Ev,1", "d2/\(i) \(op) Eb,CL", "d3/\(i) \(op) Ev,CL"]
        }
        return l
    }()
}
