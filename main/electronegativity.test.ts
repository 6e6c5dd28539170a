import { describe, it, expect } from 'vitest';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Electron security scanner over the app's sources: no high or medium findings allowed. */
describe('electronegativity', () => {
  it('reports no high or medium findings for main, preload and the renderer page', async () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
    try {
      for (const p of ['main', 'preload', 'renderer/index.html', 'package.json'])
        cpSync(join(root, p), join(dir, p), { recursive: true, filter: (s) => !s.endsWith('.test.ts') });
      const { default: run } = (await import('@doyensec/electronegativity')) as unknown as {
        default: (o: object) => Promise<{ issues: { id: string; file: string; severity: { name: string }; location: { line: number } }[] }>;
      };
      const r = await run({
        input: dir,
        output: join(dir, 'report.csv'),
        isSarif: false,
        isRelative: true,
        electronVersionOverride: '45.0.0',
        parserPlugins: [],
      });
      const serious = r.issues
        .filter((i) => i.severity.name === 'HIGH' || i.severity.name === 'MEDIUM')
        .map((i) => `${i.severity.name} ${i.id} ${i.file}:${i.location.line}`);
      expect(serious).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
