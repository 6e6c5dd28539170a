import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../shared/model/package';
import { startTestServer, token } from '../server/harness';
import { runPresswork } from '../support/cli';

/**
 * `presswork validate` reads every asset the way composing will: fonts fully (directory, tables, checksums,
 * outlines in bounds, shaping, a subset), PNG/JPEG to their end, SVG and PDF as placed, ICC profiles — and the
 * bytes decide what a file is, not its name. Composing with a broken font names the font and its file.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const sample = join(root, 'assets/sample-campaign');
const work = mkdtempSync(join(tmpdir(), 'pw-validate-assets-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw template JSON, edited by hand
type Raw = Record<string, any>;

/** A copy of the sample campaign; `files` replaces or adds files under assets/, `edit` changes template.json. */
function campaign(name: string, files: Record<string, Uint8Array | string>, edit: (doc: Raw) => void = () => {}): string {
  const dir = join(work, name);
  cpSync(sample, dir, { recursive: true });
  for (const [path, bytes] of Object.entries(files)) writeFileSync(join(dir, 'assets', path), bytes);
  const doc = JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')) as Raw;
  edit(doc);
  writeFileSync(join(dir, 'template.json'), JSON.stringify(doc, null, 2));
  return dir;
}

const original = (path: string) => new Uint8Array(readFileSync(join(sample, 'assets', path)));
const cut = (path: string, fraction: number) => {
  const b = original(path);
  return b.subarray(0, Math.floor(b.length * fraction));
};
/** The same length, with 64 bytes in the middle of a table overwritten: the file still has every table. */
function corrupted(path: string): Uint8Array {
  const b = original(path).slice();
  b.fill(0x5a, Math.floor(b.length * 0.4), Math.floor(b.length * 0.4) + 64);
  return b;
}

const assetIndex = (doc: Raw, name: string): number => (doc.assets as { name: string }[]).findIndex((a) => a.name === name);

describe('presswork validate checks every asset', () => {
  it('lists each broken font, image, SVG and PDF by file with what to do (exit 2), never a parser error', async () => {
    const dir = campaign(
      'broken',
      {
        'fonts/Oswald_700Bold.ttf': cut('fonts/Oswald_700Bold.ttf', 0.6),
        'fonts/SourceSans3-Bold.otf': new Uint8Array(0),
        'fonts/SourceSans3-It.otf': corrupted('fonts/SourceSans3-It.otf'),
        'logos/northside.png': cut('logos/northside.png', 0.7),
        'logos/mesaverde.jpg': cut('logos/mesaverde.jpg', 0.5),
        'logos/lakeview.png': '<!doctype html><html><body><script>alert(1)</script></body></html>',
        'logos/network-mark.svg':
          '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><rect width="10" height="10"/></svg>',
        'artwork.pdf': '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n', // cut short: no pages, no trailer
      },
      (doc) => {
        doc.assets.push({ id: 'artwork', name: 'artwork.pdf', mediaType: 'application/pdf' });
      },
    );
    const r = await presswork(['validate', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/DataView|Offset is outside|undefined|TypeError/);
    const doc = JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')) as Raw;
    const line = (name: string) => r.stderr.split('\n').find((l) => l.includes(`assets[${assetIndex(doc, name)}]`)) ?? '';
    expect(line('fonts/Oswald_700Bold.ttf')).toMatch(
      /"fonts\/Oswald_700Bold\.ttf" \(a font\) cannot be used: the "glyf" table .* runs past the end of the file .*cut short; replace the file/,
    );
    expect(line('fonts/SourceSans3-Bold.otf')).toMatch(/"fonts\/SourceSans3-Bold\.otf" is not a font .*: the file is empty \(0 bytes\)/);
    expect(line('fonts/SourceSans3-It.otf')).toMatch(
      /"fonts\/SourceSans3-It\.otf" \(a font\) cannot be used: the "CFF " table is damaged: its checksum/,
    );
    expect(line('logos/northside.png')).toMatch(/image "logos\/northside\.png": .*(cut short|damaged)/);
    expect(line('logos/mesaverde.jpg')).toMatch(/image "logos\/mesaverde\.jpg": the JPEG has no end marker \(the file is cut short\)/);
    expect(line('logos/lakeview.png')).toMatch(/"logos\/lakeview\.png" is not a font .*: its bytes are an HTML page\. Remove it/);
    expect(line('logos/network-mark.svg')).toMatch(/"logos\/network-mark\.svg" is SVG with active content \("onload="\)/);
    expect(line('artwork.pdf')).toMatch(/"artwork\.pdf"/);
    expect(r.stderr.split('\n')[0]).toBe(`${dir}: 8 problems`);
  });

  it('refuses bytes that contradict the declared media type (a PNG declared as a font)', async () => {
    const dir = campaign('mismatch', { 'fonts/Oswald_700Bold.ttf': original('logos/northside.png') });
    const r = await presswork(['validate', dir, '--json']);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { valid: boolean; issues: { path: string; code: string; message: string }[] };
    expect(out.valid).toBe(false);
    expect(out.issues).toEqual([
      {
        path: 'assets[0]',
        code: 'asset-unusable',
        message:
          '"fonts/Oswald_700Bold.ttf" is declared as "font/ttf" but its bytes are a raster image (image/png); set its mediaType to "image/png" or replace the file',
      },
    ]);
  });

  it('still accepts the intact sample campaign', async () => {
    const r = await presswork(['validate', sample]);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it('composing with a cut-short font names the font and its file instead of a DataView error', async () => {
    // Keep the table directory whole but lose the end of the file: the face opens, its outlines are gone.
    const b = original('fonts/SourceSans3-Regular.otf');
    const dir = campaign('compose-cut', { 'fonts/SourceSans3-Regular.otf': b.subarray(0, b.length - 40_000) });
    const out = join(work, 'cut.pdf');
    const r = await presswork([
      'compose',
      'print',
      dir,
      '--data',
      join(dir, 'data/customers.csv'),
      '--range',
      '1-2',
      '--out',
      out,
      '--json',
    ]);
    expect(r.stdout + r.stderr).not.toMatch(/DataView|Offset is outside/);
    const summary = JSON.parse(r.stdout) as { recordsSkipped: { code: string; reason: string }[] };
    expect(summary.recordsSkipped.length).toBeGreaterThan(0);
    for (const s of summary.recordsSkipped) {
      expect(s.code).toBe('font-unreadable');
      expect(s.reason).toMatch(
        /^font "font-source-sans-regular" \(file "fonts\/SourceSans3-Regular\.otf"\) cannot be read: the "\w+ ?" table .* runs past the end of the file .*; replace the file with an intact copy$/,
      );
    }
  });
});

describe('presswork publish checks the assets before uploading', () => {
  it('names the HTML "logo" and uploads nothing (exit 2); the server holds no asset afterwards', async () => {
    const server = await startTestServer(join(work, 'server-data'));
    try {
      const dir = campaign('publish-html', { 'logos/lakeview.png': '<html><script>alert(1)</script></html>' });
      const r = await runPresswork(['publish', dir, '--server', server.url], {
        env: { PRESSWORK_TOKEN: token(server, 'publisher') },
        timeoutMs: 120_000,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^.*: 1 problem\n {2}assets\[\d\]: "logos\/lakeview\.png" is not a font .*: its bytes are an HTML page\. Remove it/,
      );
      // Not even the intact font was uploaded.
      expect(server.services.assets.exists(sha256Hex(original('fonts/Oswald_700Bold.ttf')))).toBe(false);
      expect(server.services.templates.templates()).toEqual([]);
    } finally {
      await server.close();
    }
  }, 180_000);
});

const presswork = (args: string[]) => runPresswork(args, { timeoutMs: 120_000 });
