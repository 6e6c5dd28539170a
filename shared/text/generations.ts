/**
 * A bounded memo for values that may recur across records: two generations of at most `size` keys. A hit in
 * the old generation moves to the new one; when the new one is full it becomes the old one and the oldest
 * entries go. Values that keep recurring (a dealer's address, a fixed sentence, common words) stay; the endless
 * one-off values of a data file (names, streets) pass through without piling up, so a batch's memory stays the
 * same at 5,000 records and at 500,000.
 */
export class Generations<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  constructor(private readonly size: number) {}

  get(key: K): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) this.set(key, o);
    return o;
  }

  set(key: K, value: V): void {
    if (this.young.size >= this.size) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}
