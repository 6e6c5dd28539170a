import { createServer, type Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server';
import { sha256Hex, writeTemplatePackage, type TemplatePackage } from '../../shared/model/package';
import { client, samplePackage, startTestServer, tempDir, token } from './harness';

/**
 * The public origin (`/a/<sha256>`, linked from sent mail) serves nothing active: only fonts, PNG/JPEG/SVG
 * images and PDFs, typed by their bytes, with nosniff, a sandboxing CSP and a fitting Content-Disposition;
 * fonts with Access-Control-Allow-Origin so @font-face works from mail and previews. A page, a script or an
 * unknown file is refused at upload and at publish, and never served. All over real loopback HTTP.
 */
let server: RunningServer;
let base: string;
let pkg: TemplatePackage;
const tmp = tempDir('public-assets');

const HTML = new TextEncoder().encode(
  '<!DOCTYPE html><html><body><script>fetch("/outbox").then(r=>r.text()).then(alert)</script></body></html>',
);
const SCRIPT = new TextEncoder().encode('alert(document.cookie); // served as text/javascript it would run');

beforeAll(async () => {
  server = await startTestServer(tmp.dir);
  base = server.url;
  pkg = (await samplePackage()).pkg;
  const publish = client(base, token(server, 'publisher'));
  const r = await publish('POST', '/api/v1/templates', writeTemplatePackage(pkg), { 'content-type': 'application/zip' });
  expect(r.status, r.text).toBe(201);
});
afterAll(async () => {
  await server.close();
  tmp.remove();
});

const assetNamed = (name: string) => pkg.document.assets.find((a) => a.name === name)!;

describe('GET /a/:sha256 serves nothing active', () => {
  it.each([
    ['fonts/Oswald_700Bold.ttf', 'font/ttf', 'attachment', true],
    ['fonts/SourceSans3-Regular.otf', 'font/otf', 'attachment', true],
    ['logos/northside.png', 'image/png', 'inline', false],
    ['logos/mesaverde.jpg', 'image/jpeg', 'inline', false],
    ['logos/network-mark.svg', 'image/svg+xml', 'inline', false],
  ])('%s: %s, nosniff, CSP sandbox, %s, CORS for fonts only', async (name, type, disposition, cors) => {
    const a = assetNamed(name);
    const r = await fetch(`${base}/a/${a.sha256}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(type);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'/);
    expect(csp).toContain('sandbox');
    expect(csp).not.toMatch(/script-src|unsafe-eval/);
    expect(r.headers.get('content-disposition')).toMatch(new RegExp(`^${disposition}; filename="[0-9a-f]{16}\\.\\w+"$`));
    expect(r.headers.get('access-control-allow-origin')).toBe(cors ? '*' : null);
    expect(sha256Hex(new Uint8Array(await r.arrayBuffer()))).toBe(a.sha256);
  });

  it('types a file by its bytes: a PNG first published as "image/jpeg" is served as image/png', async () => {
    // A PNG the server has not seen (bytes after IEND change the hash, not the image), declared as JPEG.
    const png = assetNamed('logos/lakeview.png');
    const bytes = new Uint8Array([...pkg.assets.get(png.sha256)!, ...new TextEncoder().encode('mislabelled')]);
    const doc = structuredClone(pkg.document);
    doc.id = 'mislabelled' as typeof doc.id;
    const entry = doc.assets.find((a) => a.id === png.id)!;
    Object.assign(entry, { sha256: sha256Hex(bytes), bytes: bytes.length, mediaType: 'image/jpeg' });
    const assets = new Map(pkg.assets);
    assets.delete(png.sha256);
    assets.set(entry.sha256, bytes);
    const publish = client(base, token(server, 'publisher'));
    const r = await publish('POST', '/api/v1/templates', writeTemplatePackage({ document: doc, assets }), {
      'content-type': 'application/zip',
    });
    expect(r.status, r.text).toBe(201);
    expect((await fetch(`${base}/a/${entry.sha256}`)).headers.get('content-type')).toBe('image/png');
  });

  it('never serves a page or a script already in the store (stored before these checks), whatever type it was stored with', async () => {
    for (const [bytes, type] of [
      [HTML, 'text/html'],
      [SCRIPT, 'text/javascript'],
      [HTML, 'image/svg+xml'],
    ] as const) {
      const { sha256 } = server.services.assets.put(bytes, type);
      const r = await fetch(`${base}/a/${sha256}`);
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await r.text()).not.toContain('<script>');
    }
  });
});

describe('publishing refuses pages, scripts and unknown files', () => {
  it('PUT /api/v1/assets refuses HTML and script bytes with 415 saying what they are and what to do', async () => {
    const publish = client(base, token(server, 'publisher'));
    for (const [bytes, what] of [
      [HTML, 'an HTML page'],
      [SCRIPT, 'its bytes are text (a script, a page or a document)'],
      [new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0]), 'a GIF image'],
    ] as const) {
      const sha = sha256Hex(bytes);
      const r = await publish('PUT', `/api/v1/assets/${sha}`, bytes, { 'content-type': 'application/octet-stream' });
      expect(r.status).toBe(415);
      expect(r.json.error?.message).toContain(`asset ${sha} is not a font (TTF, OTF, WOFF, WOFF2), a PNG or JPEG image, SVG art, a PDF`);
      expect(r.json.error?.message).toContain(what);
      expect(r.json.error?.message).toMatch(/presswork validate names the file/);
      expect((await fetch(`${base}/a/${sha}`)).status).toBe(404);
    }
  });

  it('a package with an HTML file posing as a logo is refused with 422 naming the asset', async () => {
    const doc = structuredClone(pkg.document);
    doc.id = 'html-logo' as typeof doc.id;
    const logo = doc.assets.find((a) => a.name === 'logos/lakeview.png')!;
    const assets = new Map(pkg.assets);
    assets.delete(logo.sha256);
    logo.sha256 = sha256Hex(HTML);
    logo.bytes = HTML.length;
    assets.set(logo.sha256, HTML);
    const publish = client(base, token(server, 'publisher'));
    const r = await publish('POST', '/api/v1/templates', writeTemplatePackage({ document: doc, assets }), {
      'content-type': 'application/zip',
    });
    expect(r.status).toBe(422);
    expect(r.json.error?.code).toBe('invalid-package');
    const details = (r.json.error as { details?: { path: string; message: string }[] }).details ?? [];
    expect(details).toEqual([
      {
        path: `assets[${doc.assets.indexOf(logo)}]`,
        message: expect.stringMatching(/^"logos\/lakeview\.png" is not a font .*: its bytes are an HTML page\. Remove it/) as string,
      },
    ]);
    expect((await fetch(`${base}/a/${logo.sha256}`)).status).toBe(404);
  });

  it('a JSON publish whose stored asset is a truncated font is refused with 422 naming the font file', async () => {
    const font = assetNamed('fonts/Oswald_700Bold.ttf');
    const cut = pkg.assets.get(font.sha256)!.subarray(0, 30_000);
    const { sha256 } = server.services.assets.put(cut, 'font/ttf');
    const doc = structuredClone(pkg.document);
    doc.id = 'cut-font' as typeof doc.id;
    Object.assign(
      doc.assets.find((a) => a.id === font.id)!,
      { sha256, bytes: cut.length },
    );
    const r = await client(base, token(server, 'publisher'))('POST', '/api/v1/templates', { document: doc });
    expect(r.status).toBe(422);
    const details = (r.json.error as { details?: { message: string }[] }).details ?? [];
    expect(details.map((d) => d.message)).toEqual([
      expect.stringMatching(/^"fonts\/Oswald_700Bold\.ttf" \(a font\) cannot be used: .*cut short/),
    ]);
  });
});

describe('brand fonts load through @font-face from another origin (Chromium)', () => {
  let browser: Browser;
  let page: Server;
  let pageUrl: string;
  beforeAll(async () => {
    const font = assetNamed('fonts/Oswald_700Bold.ttf');
    // A page on another origin (another port), like a webmail client or a preview showing the message.
    page = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html><head><style>@font-face{font-family:'Brand';src:url('${base}/a/${font.sha256}') format('truetype');}` +
          `p{font-family:'Brand',monospace}</style></head><body><p>Ihr Service-Termin</p></body></html>`,
      );
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://localhost:${(page.address() as { port: number }).port}/`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      timeout: 30_000,
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => page.close(() => resolve()));
  });

  it('document.fonts reports the brand face loaded', async () => {
    expect(new URL(pageUrl).origin).not.toBe(new URL(base).origin);
    const tab = await browser.newPage();
    try {
      await tab.goto(pageUrl);
      // A string, run in the page: this test compiles without the DOM library.
      const result = (await tab.evaluate(`(async () => {
        await document.fonts.ready;
        try {
          await document.fonts.load("16px 'Brand'");
        } catch {
          // reported through the status below
        }
        return { statuses: [...document.fonts].map((f) => f.family + ':' + f.status), check: document.fonts.check("16px 'Brand'") };
      })()`)) as { statuses: string[]; check: boolean };
      expect(result.statuses).toEqual(['Brand:loaded']);
      expect(result.check).toBe(true);
    } finally {
      await tab.close();
    }
  }, 60_000);
});
