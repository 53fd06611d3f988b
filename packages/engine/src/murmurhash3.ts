// MurmurHash3 x86 32-bit over the UTF-8 bytes of a JS string, computed straight from the UTF-16 code
// units: no TextEncoder, no byte buffer, no allocation. Lone surrogates encode as U+FFFD, as TextEncoder
// does, so every implementation hashing "the UTF-8 of the string" agrees.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Hash state after absorbing a prefix; lets a fixed salt be hashed once and reused for every visitor. */
export interface HashState {
  /** Running hash over complete 4-byte blocks. */
  readonly h: number;
  /** Pending bytes of the incomplete block, little-endian. */
  readonly k: number;
  /** Bits pending in `k` (0, 8, 16 or 24). */
  readonly shift: number;
  /** Bytes absorbed so far. */
  readonly length: number;
}

// Scratch outputs of absorb(): module-level so the hot path returns no object.
let outH = 0;
let outK = 0;
let outShift = 0;
let outLength = 0;

function mixBlock(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function absorb(str: string, h: number, k: number, shift: number, length: number): void {
  const n = str.length;
  for (let i = 0; i < n; i++) {
    let c = str.charCodeAt(i);
    // Fast path: a whole block of 4 ASCII characters at a block boundary.
    if (shift === 0 && i + 3 < n) {
      const c1 = str.charCodeAt(i + 1);
      const c2 = str.charCodeAt(i + 2);
      const c3 = str.charCodeAt(i + 3);
      if ((c | c1 | c2 | c3) < 0x80) {
        h = mixBlock(h, c | (c1 << 8) | (c2 << 16) | (c3 << 24));
        length += 4;
        i += 3;
        continue;
      }
    }
    if (c < 0x80) {
      k |= c << shift;
      length++;
      shift += 8;
      if (shift === 32) {
        h = mixBlock(h, k);
        k = 0;
        shift = 0;
      }
      continue;
    }
    // Multi-byte sequence packed little-endian into `bytes`, `count` of them.
    let bytes: number;
    let count: number;
    if (c < 0x800) {
      bytes = 0xc0 | (c >> 6) | ((0x80 | (c & 0x3f)) << 8);
      count = 2;
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < n ? str.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          bytes =
            0xf0 |
            (cp >> 18) |
            ((0x80 | ((cp >> 12) & 0x3f)) << 8) |
            ((0x80 | ((cp >> 6) & 0x3f)) << 16) |
            ((0x80 | (cp & 0x3f)) << 24);
          count = 4;
        } else {
          c = 0xfffd; // lone surrogate, as TextEncoder replaces it
          bytes = 0xe0 | (c >> 12) | ((0x80 | ((c >> 6) & 0x3f)) << 8) | ((0x80 | (c & 0x3f)) << 16);
          count = 3;
        }
      } else {
        bytes = 0xe0 | (c >> 12) | ((0x80 | ((c >> 6) & 0x3f)) << 8) | ((0x80 | (c & 0x3f)) << 16);
        count = 3;
      }
    }
    for (let j = 0; j < count; j++) {
      k |= (bytes & 0xff) << shift;
      bytes >>>= 8;
      length++;
      shift += 8;
      if (shift === 32) {
        h = mixBlock(h, k);
        k = 0;
        shift = 0;
      }
    }
  }
  outH = h;
  outK = k;
  outShift = shift;
  outLength = length;
}

function finish(h: number, k: number, shift: number, length: number): number {
  if (shift !== 0) {
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3 x86 32-bit of the UTF-8 bytes of `input` (unsigned 32-bit result). */
export function murmurhash3(input: string, seed = 0): number {
  absorb(input, seed | 0, 0, 0, 0);
  return finish(outH, outK, outShift, outLength);
}

/** State after hashing `prefix` (seed 0), to be continued by `murmurhash3WithPrefix`. */
export function murmurhash3Prefix(prefix: string, seed = 0): HashState {
  absorb(prefix, seed | 0, 0, 0, 0);
  return { h: outH, k: outK, shift: outShift, length: outLength };
}

/** Hash of `prefix + suffix` given the prefix's precomputed state: only the suffix is read. */
export function murmurhash3WithPrefix(state: HashState, suffix: string): number {
  absorb(suffix, state.h, state.k, state.shift, state.length);
  return finish(outH, outK, outShift, outLength);
}
