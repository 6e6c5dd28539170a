/**
 * Fresh ids for new elements, pages and blocks. The engine has no randomness: callers inject a
 * generator. Operations ask it for candidates and skip any already used in the document.
 */
export type IdGenerator = (prefix: string) => string;

/** A deterministic generator: `prefix-1`, `prefix-2`, … (one counter per generator). */
export function counterIds(start = 1): IdGenerator {
  let n = start;
  return (prefix) => `${prefix}-${n++}`;
}

const MAX_TRIES = 10_000;

/** Ask `ids` until it yields one not in `used`; adds the result to `used`. Undefined if the generator is stuck. */
export function freshId(ids: IdGenerator, prefix: string, used: Set<string>): string | undefined {
  for (let i = 0; i < MAX_TRIES; i++) {
    const id = ids(slugPrefix(prefix));
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
  return undefined;
}

/** Keep generated ids valid slugs (≤ 64 chars) even when derived from a long original id. */
function slugPrefix(prefix: string): string {
  const cleaned = prefix.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return (cleaned || 'id').slice(0, 48);
}
