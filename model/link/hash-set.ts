/**
 * A compact set of 64-bit row fingerprints (two independent 32-bit hashes of the row text),
 * used to find exact duplicate rows in the spell files without keeping the rows.
 * About 16 bytes per row at most; a false "duplicate" needs a 64-bit collision.
 */
export class FingerprintSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1 << 4;
    while (cap < initialCapacity) cap <<= 1;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds the fingerprint of a row's fields; returns false when it was already present. */
  addFields(fields: readonly string[]): boolean {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let f = 0; f < fields.length; f += 1) {
      const text = fields[f] as string;
      for (let i = 0; i < text.length; i += 1) {
        const c = text.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995);
        b ^= b >>> 15;
      }
      a = Math.imul(a ^ 44, 0x01000193);
      b = Math.imul(b ^ 44, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a >>>= 0;
    b = (b ^ (b >>> 13)) >>> 0;
    if (a === 0 && b === 0) b = 1;
    return this.addPair(a, b);
  }

  private addPair(h: number, l: number): boolean {
    let i = (l ^ Math.imul(h, 0x9e3779b1)) & this.mask;
    for (;;) {
      const ch = this.hi[i] as number;
      const cl = this.lo[i] as number;
      if (ch === 0 && cl === 0) break;
      if (ch === h && cl === l) return false;
      i = (i + 1) & this.mask;
    }
    this.hi[i] = h;
    this.lo[i] = l;
    this.count += 1;
    if (this.count * 2 > this.mask) this.grow();
    return true;
  }

  private grow(): void {
    const oldHi = this.hi;
    const oldLo = this.lo;
    const cap = oldHi.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldHi.length; i += 1) {
      const h = oldHi[i] as number;
      const l = oldLo[i] as number;
      if (h !== 0 || l !== 0) this.addPair(h, l);
    }
  }
}

/** Two 32-bit hashes (FNV-1a and a murmur-style mix), never both zero. */
export function fingerprint(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a >>>= 0;
  b = (b ^ (b >>> 13)) >>> 0;
  if (a === 0 && b === 0) b = 1;
  return [a, b];
}

/** One 32-bit FNV-1a hash of a row's fields (for "same person, same or different content?"). */
export function rowHash(fields: readonly string[]): number {
  let a = 0x811c9dc5;
  for (let f = 0; f < fields.length; f += 1) {
    const text = fields[f] as string;
    for (let i = 0; i < text.length; i += 1) a = Math.imul(a ^ text.charCodeAt(i), 0x01000193);
    a = Math.imul(a ^ 44, 0x01000193);
  }
  return a >>> 0;
}
