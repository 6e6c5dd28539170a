/**
 * A set of record keys in 8 bytes per key: two independent 32-bit hashes (FNV-1a and a multiplicative
 * variant) in an open-addressing table. The duplicate-key check sees every row of a file, so a Set of strings
 * would grow with the file (~60 bytes per row); this grows 16 bytes per row at most (load ≤ 0.5). Two different
 * keys are taken for one only if both hashes collide: about 1 in 10^8 for a 500,000-row file.
 */
export class KeySet {
  private table = new Uint32Array(2 * 1024);
  private size = 0;

  /** Adds `key`; false when it was there already. */
  add(key: string): boolean {
    let a = 0x811c9dc5;
    let b = 0x9e3779b9;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a = a >>> 0 || 1; // 0 marks an empty slot
    b >>>= 0;
    if ((this.size + 1) * 2 > this.table.length / 2) this.grow();
    return this.insert(a, b);
  }

  private insert(a: number, b: number): boolean {
    const slots = this.table.length / 2;
    for (let i = (a ^ b) & (slots - 1); ; i = (i + 1) & (slots - 1)) {
      const x = this.table[2 * i]!;
      if (x === 0) {
        this.table[2 * i] = a;
        this.table[2 * i + 1] = b;
        this.size += 1;
        return true;
      }
      if (x === a && this.table[2 * i + 1] === b) return false;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0) this.insert(old[i]!, old[i + 1]!);
  }
}
