// Which slot of the visit ring (visits.ts) holds a visitor code. A server sees mostly new visitors, so each
// exposure inserts one code and evicts another: with a Map<string, number> that is a miss, a delete and a set,
// and measured ~360 ns per new visitor against ~80 ns for this open-addressing table over typed arrays (linear
// probing, deletion by backward shift, so it never fills with tombstones). It holds slot numbers only; the
// codes stay in the ring's array, which the caller passes in.

/** A hash of a visitor code (FNV-1a over its last 32 characters: codes often share a prefix). */
export function codeHash(code: string): number {
  let h = 0x811c9dc5;
  for (let i = code.length > 32 ? code.length - 32 : 0; i < code.length; i++) {
    h = Math.imul(h ^ code.charCodeAt(i), 0x01000193);
  }
  return h;
}

/** Slot numbers (0 to capacity - 1) by the code in `codes[slot]`, with the code's hash given by the caller. */
export class CodeIndex {
  /** Slot + 1 per position, 0 when free; at most half full. */
  private readonly table: Int32Array;
  private readonly mask: number;
  /** The hash of the code each slot was added with. */
  private readonly hashes: Int32Array;

  constructor(
    private readonly codes: readonly (string | undefined)[],
    capacity: number,
  ) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    this.hashes = new Int32Array(capacity);
  }

  /** The slot holding `code` (whose codeHash is `hash`), or -1. */
  find(code: string, hash: number): number {
    const table = this.table;
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const entry = table[i]!;
      if (entry === 0) return -1;
      if (this.hashes[entry - 1] === hash && this.codes[entry - 1] === code) return entry - 1;
    }
  }

  /** Adds `slot` (not in the index) for the code whose hash is `hash`. */
  add(slot: number, hash: number): void {
    const table = this.table;
    let i = hash & this.mask;
    while (table[i] !== 0) i = (i + 1) & this.mask;
    table[i] = slot + 1;
    this.hashes[slot] = hash;
  }

  /** Removes `slot` (in the index). */
  remove(slot: number): void {
    const table = this.table;
    const mask = this.mask;
    let hole = this.hashes[slot]! & mask;
    while (table[hole] !== slot + 1) hole = (hole + 1) & mask;
    // Backward shift: an entry after the hole moves into it unless its home lies cyclically in (hole, j].
    for (let j = (hole + 1) & mask; table[j] !== 0; j = (j + 1) & mask) {
      const entry = table[j]!;
      const home = this.hashes[entry - 1]! & mask;
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      table[hole] = entry;
      hole = j;
    }
    table[hole] = 0;
  }
}
