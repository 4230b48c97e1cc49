/// MMX and SSE moves, logic, shuffles and packed-integer instructions: the legacy-encoded
/// `Op.sse` opcodes that are not IEEE arithmetic (Execute/SIMD/SSEDispatch.swift), by opcode. The
/// decoder admits only the prefix columns each opcode defines (Decoder/OpcodeMapSSE.swift).
extension CPU {
    func executeSSEInteger(_ i: Instruction) throws(Fault) {
        let op = UInt8(truncatingIfNeeded: i.opcode)
        switch i.opcode >> 8 {
        case 1: try executeSSEInteger0F(i, op)
        case 2: try executeSSEInteger0F38(i, op)
        case 3: try executeSSEInteger0F3A(i, op)
        default: throw .invalidOpcode
        }
    }

    func executeSSEInteger0F(_ i: Instruction, _ op: UInt8) throws(Fault) {
        switch op {
        case 0x10: try executeMoveLoad(i)
        case 0x11: try executeMoveStore(i)
        case 0x12, 0x16: try executeMoveHalfLoad(i)
        case 0x13, 0x17: try executeMoveHalfStore(i)
        case 0x14, 0x15: try executeUnpackFloat(i)
        case 0x28, 0x29: try executeMoveAligned(i)
        case 0x2B: try executeMoveNonTemporalFloat(i)
        case 0x50: try executeMoveMask(i)
        case 0x54...0x57: try executeLogicPacked(i)
        case 0x60...0x62, 0x68...0x6A, 0x6C, 0x6D: try executeUnpack(i)
        case 0x63, 0x67, 0x6B: try executePack(i, op)
        case 0x64...0x66, 0x74...0x76: try executePackedLanes(i, op)
        case 0x6E: try executeMoveToVector(i)
        case 0x6F: try executeMoveVectorLoad(i)
        case 0x70: try executePackedShuffle(i)
        case 0x71...0x73: try executeShiftImmediate(i)
        case 0x77: try emms()
        case 0x7E: try executeMoveFromVector(i)
        case 0x7F: try executeMoveVectorStore(i)
        case 0xC4: try executeInsertWord(i)
        case 0xC5: try executeExtractWord(i)
        case 0xC6: try executeShuffleFloat(i)
        case 0xD1...0xD3, 0xE1, 0xE2, 0xF1...0xF3: try executePackedShift(i, op)
        case 0xD6: try executeMoveQuadword(i)
        case 0xD7: try executeMoveByteMask(i)
        case 0xE7: try executeMoveNonTemporalInteger(i)
        case 0xF0: try executeLoadUnaligned(i)
        case 0xF7: try executeMaskedMove(i)
        case 0xD4, 0xD5, 0xD8...0xDF, 0xE0, 0xE3...0xE5, 0xE8...0xEF, 0xF4...0xF6, 0xF8...0xFE:
            try executePackedLanes(i, op)
        default: throw .invalidOpcode
        }
    }

    /// SSSE3, SSE4.1, SSE4.2 and AES in the 0F 38 map; SHA and GFNI (C8-CF) are not implemented.
    func executeSSEInteger0F38(_ i: Instruction, _ op: UInt8) throws(Fault) {
        switch op {
        case 0x00: try executeShuffleBytes(i)
        case 0x01...0x03, 0x05...0x07, 0x2B: try executePack(i, op)
        case 0x04, 0x08...0x0B, 0x1C...0x1E, 0x28, 0x29, 0x37...0x40: try executePackedLanes38(i, op)
        case 0x10, 0x14, 0x15: try executeBlendVariable(i, op)
        case 0x17: try executePackedTest(i)
        case 0x20...0x25, 0x30...0x35: try executeMoveExtend(i, op)
        case 0x2A: try executeLoadNonTemporal(i)
        case 0x41: try executeMinimumPosition(i)
        case 0xDB...0xDF: try executeAES(i, op)
        default: throw .invalidOpcode
        }
    }

    /// SSSE3 PALIGNR, SSE4.1, PCLMULQDQ, SSE4.2 and AESKEYGENASSIST in the 0F 3A map;
    /// SHA1RNDS4 and GFNI (CC, CE, CF) are not implemented.
    func executeSSEInteger0F3A(_ i: Instruction, _ op: UInt8) throws(Fault) {
        switch op {
        case 0x0C...0x0E: try executeBlendImmediate(i, op)
        case 0x0F: try executeAlignRight(i)
        case 0x14...0x17: try executeExtractElement(i, op)
        case 0x20...0x22: try executeInsertElement(i, op)
        case 0x42: try executeMultipleSAD(i)
        case 0x44: try executeCarrylessMultiply(i)
        case 0x60...0x63: try executeStringCompare(i, op)
        case 0xDF: try executeAESKeyGenAssist(i)
        default: throw .invalidOpcode
        }
    }
}
