import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio, type Studio } from '../studio';
import { keyFileSecrets } from './secrets';
import { dispatch } from '../ipc/dispatch';

/**
 * Print proofs compose in a worker thread: while one composes, main answers other calls at once — above
 * all `template:autosave`, the crash-recovery journal ("nothing lost beyond the last second").
 */
describe('print proofs off the main event loop', () => {
  let dir: string;
  let studio: Studio;
  const call = async (channel: string, args: unknown) => {
    const r = await dispatch(studio.handlers, channel, args);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as never;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'engine-'));
    studio = createStudio({ userData: dir, transport: 'web', secrets: keyFileSecrets(dir), emit: () => undefined });
  });
  afterAll(async () => {
    await studio.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('journals a draft while the first proof composes, and the proof is a PDF', async () => {
    const t: { id: string } = await call('template:openSample', {});
    const { document } = (await call('template:get', { id: t.id })) as { document: { name: string } };
    // One autosave first, so the measured one is not the cold first call (zod, SQLite statements).
    await call('template:autosave', { id: t.id, document: { ...document, name: 'Warm-up' } });
    let proofDone = 0;
    const proof = call('preview:print', { templateId: t.id, datasetId: null, index: 0 }).then((p: { pdf: string; pages: unknown[] }) => {
      proofDone = performance.now();
      return p;
    });
    // The event loop keeps turning while the proof composes: measure the longest stall.
    let last = performance.now();
    let worst = 0;
    const ticker = setInterval(() => {
      const n = performance.now();
      worst = Math.max(worst, n - last);
      last = n;
    }, 5);
    await new Promise((r) => setTimeout(r, 20));
    const asked = performance.now();
    await call('template:autosave', { id: t.id, document: { ...document, name: 'Renamed while composing' } });
    const journalled = performance.now();
    const p = await proof;
    clearInterval(ticker);
    expect(Buffer.from(p.pdf, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(p.pages).toHaveLength(2);
    // The draft was journalled before the proof finished, in well under a second.
    expect(journalled).toBeLessThan(proofDone);
    expect(journalled - asked).toBeLessThan(500);
    expect(worst).toBeLessThan(500);
    console.log(
      `proof ${Math.round(proofDone - asked)} ms after the autosave was asked; autosave answered in ${Math.round(journalled - asked)} ms; longest event-loop stall ${Math.round(worst)} ms`,
    );
    expect(studio.templates.get(t.id).document.name).toBe('Renamed while composing');
  });
});
