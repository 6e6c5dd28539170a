import type { PrintTarget } from '../../shared/compose/print/batch';

/** Collects a PDF in memory (proofs are one record: a few hundred kilobytes). */
export function memoryTarget(): PrintTarget & { bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  return {
    open: () => ({ write: (c) => chunks.push(c.slice()) }),
    commit: () => undefined,
    abort: () => void chunks.splice(0),
    bytes: () => {
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const out = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.length;
      }
      return out;
    },
  };
}
