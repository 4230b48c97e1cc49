"""Decoder oracle: classify an x86 byte stream as `<length>`, `ud` or `gp`
using the iced-x86 decoder (PyPI package `iced-x86`, version pinned in
requirements.txt).  Used only by the tools in this directory, never by the
emulator.

Result of one stream (see README.md for the full rules):

* ``<n>``  the first instruction of the stream is valid and n (1..15) bytes long
* ``ud``   the bytes are not a valid instruction (#UD at decode time)
* ``gp``   the instruction would be longer than 15 bytes (#GP(0))
* ``None`` (only from :func:`classify`) the answer depends on the CPU model
  (an undefined opcode whose length is unknown and where that length decides
  between #UD and #GP); the generator never emits those streams.
"""

from __future__ import annotations

import iced_x86
from iced_x86 import Decoder, DecoderError, DecoderOptions

STREAM_LEN = 20          # bytes per stream; iced never reads more than 15
MAX_INSN_LEN = 15

LEGACY_PREFIXES = (0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65)
_LEGACY = frozenset(LEGACY_PREFIXES)

VENDORS = {
    # iced's default decoder is the Intel flavour.  Invalid-encoding checks
    # are ON because DecoderOptions.NO_INVALID_CHECK is *not* set.
    "intel": DecoderOptions.NONE,
    "amd": DecoderOptions.AMD,
}


def decoder_options(vendor: str) -> int:
    return VENDORS[vendor]


def _decode(data: bytes, bits: int, options: int, ip: int = 0):
    dec = Decoder(bits, data, options, ip)
    ins = dec.decode()
    return ins, dec.last_error


def prefix_count(data: bytes, bits: int) -> int:
    """Number of legacy (and, in 64-bit mode, REX) prefix bytes at the start."""
    n = 0
    for b in data:
        if b in _LEGACY or (bits == 64 and 0x40 <= b <= 0x4F):
            n += 1
        else:
            break
    return n


def reduce_prefixes(data: bytes, bits: int) -> tuple[bytes, int]:
    """Drop prefix bytes that cannot change the meaning of the instruction.

    Keeps only the last occurrence of each legacy prefix byte value, and a REX
    prefix only when it is the last prefix (a REX followed by another prefix is
    ignored by the CPU and by iced).  Returns (reduced stream, bytes removed).
    The generator self-checks (--check) that this never changes how iced
    decodes a valid instruction.
    """
    p = prefix_count(data, bits)
    pre = data[:p]
    keep = []
    for i, b in enumerate(pre):
        if 0x40 <= b <= 0x4F and bits == 64:
            if i == p - 1:
                keep.append(b)
        elif b not in pre[i + 1:]:
            keep.append(b)
    return bytes(keep) + data[p:], p - len(keep)


def opcode_map(data: bytes, bits: int) -> tuple[str, int]:
    """(map name, offset just past the opcode byte) of the first instruction,
    following iced's escape rules: C4/C5/62 are VEX/EVEX in 64-bit mode, and in
    16/32-bit mode only when the next byte has mod == 11; 8F is XOP when the
    low 5 bits of the next byte are >= 8 (any mode)."""
    pos = prefix_count(data, bits)
    if pos + 1 >= len(data):
        return "prefixes", pos + 1
    b = data[pos]
    nxt = data[pos + 1]
    if b == 0x0F:
        if nxt == 0x38:
            return "0F38", pos + 3
        if nxt == 0x3A:
            return "0F3A", pos + 3
        if nxt == 0x0F:
            return "0F0F", pos + 2          # 3DNow!: real opcode is a trailing imm8
        return "0F", pos + 2
    esc_ok = bits == 64 or (nxt & 0xC0) == 0xC0
    if b == 0xC5 and esc_ok:
        return "VEX2", pos + 3
    if b == 0xC4 and esc_ok:
        return "VEX3", pos + 4
    if b == 0x62 and esc_ok:
        return "EVEX", pos + 5
    if b == 0x8F and (nxt & 0x1F) >= 8:
        return "XOP", pos + 4
    return "1byte", pos + 1


def _address_size(data: bytes, bits: int) -> int:
    has67 = 0x67 in data[:prefix_count(data, bits)]
    if bits == 64:
        return 32 if has67 else 64
    if bits == 32:
        return 16 if has67 else 32
    return 32 if has67 else 16


def modrm_extent(data: bytes, pos: int, addr_size: int) -> int:
    """Bytes taken by ModRM (+SIB +displacement) starting at data[pos]."""
    modrm = data[pos]
    mod, rm = modrm >> 6, modrm & 7
    if mod == 3:
        return 1
    if addr_size == 16:
        if mod == 0:
            return 3 if rm == 6 else 1
        return 2 if mod == 1 else 3
    n = 1
    if rm == 4:
        n += 1
        if mod == 0 and (data[pos + 1] & 7) == 5:
            return n + 4
    if mod == 0:
        return n + 4 if rm == 5 else n
    return n + (1 if mod == 1 else 4)


def classify(data: bytes, bits: int, vendor: str = "intel"):
    """Return '<len>', 'ud', 'gp' or None (ambiguous, see module doc)."""
    if len(data) < STREAM_LEN:
        raise ValueError("stream too short: %d bytes" % len(data))
    opts = decoder_options(vendor)
    ins, err = _decode(data, bits, opts)
    if err == DecoderError.NO_MORE_BYTES:
        raise AssertionError("NO_MORE_BYTES with a %d-byte stream" % len(data))
    if err == DecoderError.NONE:
        assert 1 <= ins.len <= MAX_INSN_LEN
        return str(ins.len)

    # iced says INVALID_INSTRUCTION: either a genuinely invalid encoding, or
    # the decoder hit the 15-byte limit (iced reports both the same way).
    p = prefix_count(data, bits)
    if p >= MAX_INSN_LEN:
        return "gp"            # the opcode is not even within the first 15 bytes
    red, k = reduce_prefixes(data, bits)

    # 1. With the redundant prefixes removed the instruction is valid: its real
    #    length is len + k, which must then be > 15.
    ins, err = _decode(red, bits, opts)
    if err == DecoderError.NONE:
        if ins.len + k <= MAX_INSN_LEN:
            raise AssertionError("prefix reduction changed validity: %s" % data.hex())
        return "gp"

    # 2. Valid except for iced's invalid-encoding checks (LOCK misuse, VEX.L,
    #    VEX.vvvv, EVEX reserved bits, ...): the instruction has a well-defined
    #    length; #GP for length > 15 has priority over #UD (SDM vol. 3,
    #    "Priority Among Concurrent Exceptions", class 7).
    ins, err = _decode(red, bits, opts | DecoderOptions.NO_INVALID_CHECK)
    if err == DecoderError.NONE:
        return "gp" if ins.len + k > MAX_INSN_LEN else "ud"

    # 3. Undefined opcode: its length is not architecturally defined.  The
    #    opcode itself ends at `end`; after it there can be at most a
    #    ModRM/SIB/displacement and an immediate of up to 4 bytes.
    _, end = opcode_map(data, bits)
    if end > MAX_INSN_LEN:
        return "gp"
    if ins.len >= MAX_INSN_LEN:
        # iced stopped at its 15-byte limit even on the reduced stream (more
        # than 15 bytes of distinct prefixes + instruction): we cannot tell
        # whether the opcode is undefined or just too long.
        return None
    if end + 1 >= len(data):
        return None
    tail = modrm_extent(data, end, _address_size(data, bits)) + 4
    if end + tail <= MAX_INSN_LEN:
        return "ud"
    return None


def disasm(data: bytes, bits: int, vendor: str = "intel") -> str:
    """Human-readable iced view of the first instruction (for reports)."""
    ins, err = _decode(data, bits, decoder_options(vendor))
    if err != DecoderError.NONE:
        ins2, err2 = _decode(data, bits, decoder_options(vendor) | DecoderOptions.NO_INVALID_CHECK)
        if err2 == DecoderError.NONE:
            return "invalid (without invalid checks: %s, len %d)" % (ins2, ins2.len)
        return "invalid"
    return "%s (len %d)" % (ins, ins.len)


def iced_version() -> str:
    try:
        from importlib.metadata import version
        return version("iced-x86")
    except Exception:  # pragma: no cover
        return getattr(iced_x86, "__version__", "unknown")
