#!/usr/bin/env python3
"""Generate decoder-oracle fixtures: random x86 byte streams and, for each,
the length of the first instruction according to iced-x86, or `ud` / `gp`.

Output: one line per stream, `<40 hex digits> <result>`; result is the decimal
instruction length (1..15), `ud` or `gp`.  See README.md.

Deterministic: the same --seed/--bits/--vendor/--count always gives the same
file (given the pinned iced-x86 version).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

LEGACY = oracle.LEGACY_PREFIXES


def _rand_bytes(rng: random.Random, n: int) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(n))


def _escape_ok_byte(rng: random.Random, bits: int, b: int) -> int:
    """In 16/32-bit mode C4/C5/62 are VEX/EVEX only if the next byte looks like
    a register ModRM (top two bits set); force that most of the time."""
    if bits != 64 and rng.random() < 0.85:
        b |= 0xC0
    return b


_TABLES: dict = {}


def _valid_any(bits: int, vendor: str, head: bytes) -> bool:
    for modrm in (0xC0, 0x00):
        data = head + bytes([modrm]) + bytes(oracle.STREAM_LEN)
        ins, err = oracle._decode(data, bits, oracle.decoder_options(vendor))
        if err == oracle.DecoderError.NONE:
            return True
    return False


def valid_opcodes(bits: int, vendor: str) -> dict:
    """Opcode table of encodings iced accepts, found by probing every opcode
    of every map (with ModRM C0 and 00).  Used to bias the generator towards
    valid instructions in the sparse maps (0F38, 0F3A, VEX, EVEX, XOP); it is
    deterministic, so generation stays reproducible."""
    key = (bits, vendor)
    if key in _TABLES:
        return _TABLES[key]
    esc = 0xE0 if bits == 64 else 0xE0   # R X B = 1 1 1 (inverted: no extension)
    t = {"0F38": [], "0F3A": [], "VEX": [], "EVEX": [], "XOP": []}
    mp = {0: b"", 1: b"\x66", 2: b"\xf3", 3: b"\xf2"}
    for pp in range(4):
        for op in range(256):
            if _valid_any(bits, vendor, mp[pp] + bytes([0x0F, 0x38, op])):
                t["0F38"].append((pp, op))
            if _valid_any(bits, vendor, mp[pp] + bytes([0x0F, 0x3A, op])):
                t["0F3A"].append((pp, op))
            for w in (0, 1):
                for l in (0, 1):
                    p2 = (w << 7) | (0xF << 3) | (l << 2) | pp
                    for m in (1, 2, 3, 5, 6, 7):
                        if _valid_any(bits, vendor, bytes([0xC4, esc | m, p2, op])):
                            t["VEX"].append((m, w, l, pp, op))
                    for m in (8, 9, 10):
                        if _valid_any(bits, vendor, bytes([0x8F, esc | m, p2, op])):
                            t["XOP"].append((m, w, l, pp, op))
                for ll in (0, 1, 2):
                    p1 = (w << 7) | (0xF << 3) | 0x04 | pp
                    for m in (1, 2, 3, 4, 5, 6):
                        if _valid_any(bits, vendor, bytes([0x62, 0xF0 | m, p1, (ll << 5) | 0x08, op])):
                            t["EVEX"].append((m, w, ll, pp, op))
    _TABLES[key] = t
    return t


def _rxb(rng: random.Random, bits: int) -> int:
    """Top 3 bits (inverted R X B) of a VEX/XOP byte 1 (R X B R' for EVEX P0
    is handled by the caller); all ones outside 64-bit mode, mostly."""
    if bits != 64 and rng.random() < 0.9:
        return 0xE0
    return rng.getrandbits(3) << 5


def _vvvv(rng: random.Random) -> int:
    return 0xF if rng.random() < 0.5 else rng.getrandbits(4)


def _valid_biased(rng: random.Random, bits: int, vendor: str, m: str) -> bytes:
    t = valid_opcodes(bits, vendor)
    if m in ("0F38", "0F3A"):
        pp, op = rng.choice(t[m])
        pre = {0: b"", 1: b"\x66", 2: b"\xf3", 3: b"\xf2"}[pp]
        return pre + bytes([0x0F, 0x38 if m == "0F38" else 0x3A, op])
    if m in ("VEX", "XOP"):
        mm, w, l, pp, op = rng.choice(t[m])
        if m == "VEX" and mm == 1 and rng.random() < 0.3:
            p1 = (_rxb(rng, bits) & 0x80) | (_vvvv(rng) << 3) | (l << 2) | pp
            return bytes([0xC5, _escape_ok_byte(rng, bits, p1), op])
        esc = 0xC4 if m == "VEX" else 0x8F
        if rng.random() < 0.2:
            w ^= 1
        if rng.random() < 0.1:
            l ^= 1
        return bytes([esc, _rxb(rng, bits) | mm, (w << 7) | (_vvvv(rng) << 3) | (l << 2) | pp, op])
    mm, w, ll, pp, op = rng.choice(t["EVEX"])
    if rng.random() < 0.2:
        w ^= 1
    if rng.random() < 0.1:
        ll = rng.getrandbits(2)
    p0 = _rxb(rng, bits) | (0x10 if bits != 64 and rng.random() < 0.9 else rng.getrandbits(1) << 4) | mm
    p1 = (w << 7) | (_vvvv(rng) << 3) | 0x04 | pp
    z = 1 if rng.random() < 0.2 else 0
    b = 1 if rng.random() < 0.25 else 0
    vp = 1 if (bits != 64 or rng.random() < 0.8) else 0
    aaa = rng.getrandbits(3) if rng.random() < 0.5 else 0
    p2 = (z << 7) | (ll << 5) | (b << 4) | (vp << 3) | aaa
    return bytes([0x62, p0, p1, p2, op])


def _opcode(rng: random.Random, bits: int, vendor: str = "intel") -> tuple[bytes, str]:
    """A random opcode (with escape / VEX / EVEX / XOP payload)."""
    if rng.random() < 0.35:
        m = rng.choice(("0F38", "0F3A", "VEX", "VEX", "EVEX", "EVEX", "EVEX", "XOP"))
        return _valid_biased(rng, bits, vendor, m), m
    r = rng.random()
    if r < 0.28:
        return bytes([rng.getrandbits(8)]), "1byte"
    if r < 0.50:
        return bytes([0x0F, rng.getrandbits(8)]), "0F"
    if r < 0.60:
        return bytes([0x0F, 0x38, rng.getrandbits(8)]), "0F38"
    if r < 0.68:
        return bytes([0x0F, 0x3A, rng.getrandbits(8)]), "0F3A"
    if r < 0.74:
        # C5 [R vvvv L pp] opcode
        p1 = _escape_ok_byte(rng, bits, rng.getrandbits(8))
        return bytes([0xC5, p1, rng.getrandbits(8)]), "VEX2"
    if r < 0.83:
        # C4 [R X B mmmmm] [W vvvv L pp] opcode
        mmmmm = rng.choice((1, 1, 2, 2, 3, 3, rng.getrandbits(5)))
        p1 = _escape_ok_byte(rng, bits, (rng.getrandbits(3) << 5) | mmmmm)
        return bytes([0xC4, p1, rng.getrandbits(8), rng.getrandbits(8)]), "VEX3"
    if r < 0.94:
        # 62 [R X B R' 0 m m m] [W vvvv 1 pp] [z L'L b V' aaa] opcode
        p0 = rng.getrandbits(8)
        if rng.random() < 0.8:
            p0 &= ~0x0C & 0xFF                  # reserved bits 3:2 = 0
            p0 = (p0 & 0xF8) | rng.choice((1, 2, 3, 5, 6, 1, 2, 3, rng.getrandbits(3)))
        p0 = _escape_ok_byte(rng, bits, p0)
        p1 = rng.getrandbits(8)
        if rng.random() < 0.85:
            p1 |= 0x04                          # fixed-1 bit (0 = MVEX/KNC)
        p2 = rng.getrandbits(8)
        return bytes([0x62, p0, p1, p2, rng.getrandbits(8)]), "EVEX"
    # 8F [R X B mmmmm] [W vvvv L pp] opcode
    mmmmm = rng.choice((8, 9, 10, 8, 9, 10, rng.getrandbits(5)))
    p1 = (rng.getrandbits(3) << 5) | mmmmm
    return bytes([0x8F, p1, rng.getrandbits(8), rng.getrandbits(8)]), "XOP"


def _prefixes(rng: random.Random, bits: int, n: int) -> bytes:
    out = bytearray(rng.choice(LEGACY) for _ in range(n))
    if bits == 64 and rng.random() < 0.15 and out:
        # a REX somewhere in the middle (ignored when followed by a prefix)
        out.insert(rng.randrange(len(out)), 0x40 | rng.getrandbits(4))
    if bits == 64 and rng.random() < 0.4:
        out.append(0x40 | rng.getrandbits(4))
    return bytes(out)


def _modrm_tail(rng: random.Random) -> bytes:
    # ModRM with a uniform mod field (so all addressing forms show up),
    # then random SIB / displacement / immediate bytes.
    return bytes([rng.getrandbits(8)]) + _rand_bytes(rng, oracle.STREAM_LEN)


def gen_stream(rng: random.Random, bits: int, vendor: str) -> tuple[bytes, str]:
    """One stream and the generator kind that produced it."""
    r = rng.random()
    if r < 0.25:
        data, kind = _rand_bytes(rng, oracle.STREAM_LEN), "uniform"
    elif r < 0.85:
        n = rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4))
        op, m = _opcode(rng, bits, vendor)
        if m in ("VEX", "VEX2", "VEX3", "EVEX", "XOP") and rng.random() < 0.8:
            # 66/F2/F3/F0/REX before VEX/EVEX/XOP is #UD: mostly use the others
            pre = bytes(rng.choice((0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65, 0x67))
                        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))))
        else:
            pre = _prefixes(rng, bits, n)
        data, kind = pre + op + _modrm_tail(rng), "structured"
    else:
        # long prefix runs around the 15-byte limit
        n = rng.randint(7, 16)
        if rng.random() < 0.3:
            out = bytes([rng.choice(LEGACY)]) * n
        else:
            out = bytes(rng.choice(LEGACY) for _ in range(n))
        if bits == 64 and rng.random() < 0.3:
            out += bytes([0x40 | rng.getrandbits(4)])
        if rng.random() < 0.3:
            # a real instruction with a long immediate / displacement
            op = bytes([rng.choice((0x81, 0x69, 0xC7, 0xB8, 0xA1, 0x0F))])
            if op == b"\x0f":
                op += bytes([rng.choice((0x3A, 0x38, 0x80, 0xBA, 0xA4))])
        else:
            op, _ = _opcode(rng, bits, vendor)
        data, kind = out + op + _modrm_tail(rng), "longprefix"
    return data[:oracle.STREAM_LEN], kind


def generate(count: int, bits: int, vendor: str, seed: int, stats=None, check=False):
    """Yield (stream, result) pairs; ambiguous streams are skipped (counted in
    stats['ambiguous'])."""
    rng = random.Random("swemu-decoder-oracle:%d:%d:%s" % (seed, bits, vendor))
    produced = 0
    while produced < count:
        data, kind = gen_stream(rng, bits, vendor)
        res = oracle.classify(data, bits, vendor)
        if check:
            _check_reduction(data, bits, vendor)
        if res is None:
            if stats is not None:
                stats["ambiguous"] += 1
            continue
        if stats is not None:
            cls = res if res in ("ud", "gp") else "valid"
            m, _ = oracle.opcode_map(data, bits)
            stats["result:" + cls] += 1
            stats["kind:%s:%s" % (kind, cls)] += 1
            stats["map:%s:%s" % (m, cls)] += 1
            if cls == "valid":
                stats["len:%02d" % int(res)] += 1
        produced += 1
        yield data, res


def _check_reduction(data: bytes, bits: int, vendor: str) -> None:
    """Self-check: dropping redundant prefixes keeps iced's decoding."""
    red, k = oracle.reduce_prefixes(data, bits)
    if k == 0:
        return
    opts = oracle.decoder_options(vendor)
    a, ea = oracle._decode(data, bits, opts)
    b, eb = oracle._decode(red, bits, opts, ip=k)   # same next-IP as `data`
    if ea != oracle.DecoderError.NONE or a.len != b.len + k:
        # `data` invalid (or hit the limit): nothing to compare
        if ea == oracle.DecoderError.NONE:
            raise AssertionError("reduction mismatch (len) %s" % data.hex())
        return
    if eb != oracle.DecoderError.NONE or a.code != b.code or str(a) != str(b):
        raise AssertionError("reduction changed decoding: %s: %s vs %s" % (data.hex(), a, b))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bits", type=int, choices=(16, 32, 64), required=True)
    ap.add_argument("--vendor", choices=sorted(oracle.VENDORS), default="intel")
    ap.add_argument("--count", "-n", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", "-o", help="output file (default: stdout)")
    ap.add_argument("--stats", action="store_true", help="print statistics to stderr")
    ap.add_argument("--check", action="store_true",
                    help="also self-check the prefix-reduction rule on every stream")
    args = ap.parse_args(argv)

    stats = collections.Counter()
    out = open(args.out, "w") if args.out else sys.stdout
    try:
        for data, res in generate(args.count, args.bits, args.vendor, args.seed, stats, args.check):
            out.write("%s %s\n" % (data.hex(), res))
    finally:
        if args.out:
            out.close()
    if args.stats:
        print_stats(stats, args, sys.stderr)
    return 0


def print_stats(stats, args, f) -> None:
    total = sum(v for k, v in stats.items() if k.startswith("result:"))
    print("# %d-bit %s, seed %d, iced-x86 %s: %d streams (%d ambiguous skipped)"
          % (args.bits, args.vendor, args.seed, oracle.iced_version(), total, stats["ambiguous"]), file=f)
    print("results: " + ", ".join("%s %d" % (c, stats["result:" + c]) for c in ("valid", "ud", "gp")), file=f)
    maps = sorted({k.split(":")[1] for k in stats if k.startswith("map:")})
    print("%-10s %8s %8s %8s" % ("map", "valid", "ud", "gp"), file=f)
    for m in maps:
        print("%-10s %8d %8d %8d" % (m, *(stats["map:%s:%s" % (m, c)] for c in ("valid", "ud", "gp"))), file=f)
    kinds = sorted({k.split(":")[1] for k in stats if k.startswith("kind:")})
    for kd in kinds:
        print("%-10s %8d %8d %8d" % (kd, *(stats["kind:%s:%s" % (kd, c)] for c in ("valid", "ud", "gp"))), file=f)
    print("lengths: " + " ".join("%d:%d" % (int(k[4:]), v) for k, v in sorted(stats.items()) if k.startswith("len:")), file=f)


if __name__ == "__main__":
    sys.exit(main())
