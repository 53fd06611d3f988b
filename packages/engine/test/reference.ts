// A second, deliberately plain implementation of the bucketing contract (TextEncoder + the textbook
// MurmurHash3_x86_32 byte loop), written independently of src/ so the tests can check one against the other.

/** Textbook MurmurHash3_x86_32 over bytes. */
export function referenceMurmur3(bytes: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = bytes.length >> 2;
  for (let i = 0; i < blocks; i++) {
    let k = bytes[4 * i]! | (bytes[4 * i + 1]! << 8) | (bytes[4 * i + 2]! << 16) | (bytes[4 * i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = blocks * 4;
  let k = 0;
  const rest = bytes.length & 3;
  if (rest > 0) {
    if (rest === 3) k ^= bytes[tail + 2]! << 16;
    if (rest >= 2) k ^= bytes[tail + 1]! << 8;
    k ^= bytes[tail]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const encoder = new TextEncoder();

/** MurmurHash3 of the UTF-8 of a string, via TextEncoder. */
export function referenceHash(text: string, seed = 0): number {
  return referenceMurmur3(encoder.encode(text), seed);
}

/** DESIGN section 3 bucket, written from the text: floor(h * 100000 / 2^32) of salt + ":" + code. */
export function referenceBucket(salt: string, code: string): number {
  return Math.floor((referenceHash(`${salt}:${code}`) / 2 ** 32) * 100000);
}
