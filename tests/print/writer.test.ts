import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { create } from 'fontkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composePrintJob } from '../../server/print/compose-job';
import { TemplateDocumentSchema } from '../../shared/model/document';
import { sha256Hex } from '../../shared/model/package';
import { ROOT, SAMPLE, cli, tool } from './helpers';

/**
 * The writer's compact text encoding and the output intent, checked with real tools: one-byte codes through
 * embedded CMaps (a second encoding of a font after 256 glyphs, Identity-H after four), pdffonts, pdftotext,
 * qpdf; the ICC output intent with qpdf --json and Ghostscript.
 */
const ICC = '/usr/share/color/icc/ghostscript/default_cmyk.icc';
const FONT = join(ROOT, 'node_modules/source-sans/TTF/SourceSans3-Regular.ttf');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-writer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Every character Source Sans 3 has in Latin, Greek, Cyrillic and common symbols (no combining marks), in code
 * point order — except characters that share a glyph with an earlier one (µ and μ, Ω and Ω): full shaping reports
 * the glyph's first character for those (a limit of the text engine's fontkit shaping, not of the encoding).
 */
function coveredText(): string {
  const font = create(new Uint8Array(readFileSync(FONT))) as {
    hasGlyphForCodePoint(cp: number): boolean;
    glyphForCodePoint(cp: number): { id: number };
  };
  const cps: number[] = [];
  const ranges: [number, number][] = [
    [0x21, 0x7e],
    [0xa1, 0x2af],
    [0x370, 0x3ff],
    [0x400, 0x52f],
    [0x1e00, 0x1fff],
    [0x2010, 0x2027],
    [0x2030, 0x205e],
    [0x20a0, 0x20cf],
    [0x2100, 0x22ff],
  ];
  const seen = new Set<number>();
  for (const [a, b] of ranges)
    for (let cp = a; cp <= b; cp++) {
      if (!font.hasGlyphForCodePoint(cp)) continue;
      const id = font.glyphForCodePoint(cp).id;
      if (!seen.has(id)) cps.push(cp);
      seen.add(id);
    }
  return String.fromCodePoint(...cps);
}

function composeText(text: string, out: string) {
  const bytes = new Uint8Array(readFileSync(FONT));
  const sha = sha256Hex(bytes);
  const doc = TemplateDocumentSchema.parse({
    format: 'presswork-template',
    formatVersion: 1,
    id: 'glyphs',
    name: 'Glyphs',
    brand: {
      name: 'Test',
      fonts: [{ id: 'body', family: 'Source Sans 3', weight: 400, asset: 'font-body', licence: 'OFL' }],
      swatches: [{ id: 'ink', name: 'Ink', cmyk: [0, 0, 0, 100], srgb: '#000000' }],
    },
    assets: [{ id: 'font-body', name: 'SourceSans3-Regular.ttf', mediaType: 'font/ttf', sha256: sha, bytes: bytes.length }],
    data: { recordKey: 'id', fields: [{ name: 'id' }, { name: 't' }] },
    print: {
      pages: [
        {
          id: 'p1',
          name: 'Page',
          width: 1200,
          height: 1200,
          elements: [
            {
              id: 'all',
              type: 'text',
              x: 20,
              y: 20,
              width: 1160,
              height: 1160,
              style: { font: 'body', size: 9, color: { swatch: 'ink' } },
              paragraphs: [{ runs: [{ text: '{{ t }}' }] }],
            },
          ],
        },
      ],
    },
  });
  return composePrintJob({ document: doc, assets: new Map([[sha, bytes]]) }, [{ row: 1, record: { id: 'A', t: text } }], {
    out,
    onError: 'fail',
    today: '2026-11-22',
  });
}

describe('text in one-byte codes', () => {
  it('extracts Latin with diacritics, Greek and Cyrillic exactly, through several encodings of one font', () => {
    const chars = coveredText();
    const glyphs = [...chars];
    expect(glyphs.length).toBeGreaterThan(4 * 256); // beyond four one-byte encodings: the Identity-H fallback too
    // Words of 24 characters so that lines can break; the frame is large enough for all of them.
    let text = '';
    for (let i = 0; i < glyphs.length; i += 24) text += `${glyphs.slice(i, i + 24).join('')} `;
    const out = join(dir, 'glyphs.pdf');
    const r = composeText(text.trim(), out);
    expect(r.ok).toBe(true);
    expect(r.overflow.records).toEqual([]);
    expect(tool('qpdf', ['--check', out])).toContain('No syntax or stream encoding errors');
    const fonts = tool('pdffonts', [out]).trim().split('\n').slice(2);
    // Four one-byte encodings (embedded CMaps) and one Identity-H, all the same embedded subset.
    expect(fonts.filter((l) => / Custom /.test(l))).toHaveLength(4);
    expect(fonts.filter((l) => / Identity-H /.test(l))).toHaveLength(1);
    for (const line of fonts) {
      expect(line).toMatch(/^[A-Z]{6}\+SourceSans3-Regular /);
      expect(line.split(/\s+/).slice(-5, -2), line).toEqual(['yes', 'yes', 'yes']);
    }
    const extracted = tool('pdftotext', ['-enc', 'UTF-8', out, '-']).replace(/\s+/g, '');
    expect(extracted).toBe(text.replace(/\s+/g, ''));
  });

  it('writes variable text as literal strings with one byte per glyph', () => {
    const out = join(dir, 'latin.pdf');
    expect(composeText('Grüße aus Köln (Straße 5) \\ Ωμέγα Привет', out).ok).toBe(true);
    const qdf = tool('qpdf', ['--qdf', '--object-streams=disable', out, '-']);
    // ASCII keeps its own codes; the delimiters and the backslash are escaped.
    expect(qdf).toContain('(Gr');
    expect(qdf).toContain('\\(S');
    expect(qdf).toMatch(/\/CMapName \/Presswork-[A-Z]{6}-1/);
    expect(tool('pdftotext', ['-enc', 'UTF-8', out, '-']).replace(/\s+/g, ' ').trim()).toBe('Grüße aus Köln (Straße 5) \\ Ωμέγα Привет');
  });
});

describe('recurring text', () => {
  it('draws a text frame whose painting recurs as one form from its third use; unique text stays inline', () => {
    const bytes = new Uint8Array(readFileSync(FONT));
    const sha = sha256Hex(bytes);
    const frame = (id: string, y: number, field: string) => ({
      id,
      type: 'text',
      x: 20,
      y,
      width: 400,
      height: 30,
      style: { font: 'body', size: 14, color: { swatch: 'ink' } },
      paragraphs: [{ runs: [{ text: `{{ ${field} }}` }] }],
    });
    const doc = TemplateDocumentSchema.parse({
      format: 'presswork-template',
      formatVersion: 1,
      id: 'recurring',
      name: 'Recurring',
      brand: {
        name: 'Test',
        fonts: [{ id: 'body', family: 'Source Sans 3', weight: 400, asset: 'font-body', licence: 'OFL' }],
        swatches: [{ id: 'ink', name: 'Ink', cmyk: [0, 0, 0, 100], srgb: '#000000' }],
      },
      assets: [{ id: 'font-body', name: 'SourceSans3-Regular.ttf', mediaType: 'font/ttf', sha256: sha, bytes: bytes.length }],
      data: { recordKey: 'id', fields: [{ name: 'id' }, { name: 'name' }, { name: 'offer' }] },
      print: {
        pages: [{ id: 'p1', name: 'Page', width: 440, height: 120, elements: [frame('name', 20, 'name'), frame('offer', 60, 'offer')] }],
      },
    });
    const offers = ['Ten percent off', 'Free wash'];
    const records = Array.from({ length: 8 }, (_, i) => ({
      row: i + 1,
      record: { id: `R${i + 1}`, name: `Customer ${i + 1} Quist`, offer: offers[i % 2]! },
    }));
    const out = join(dir, 'recurring.pdf');
    const r = composePrintJob({ document: doc, assets: new Map([[sha, bytes]]) }, records, {
      out,
      onError: 'fail',
      today: '2026-11-22',
      compression: 0,
    });
    expect(r.ok).toBe(true);
    expect(tool('qpdf', ['--check', out])).toContain('No syntax or stream encoding errors');
    const pdf = readFileSync(out, 'latin1');
    // Each offer is seen four times: inline on its first two pages, then one form drawn twice. Names never recur.
    expect(pdf.match(/\/Subtype\/Form/g)).toHaveLength(2);
    expect(pdf.match(/\/[a-zA-Z][0-9a-zA-Z]* Do/g)).toHaveLength(4);
    for (let i = 0; i < 8; i++) {
      const page = tool('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), out, '-']);
      expect(page).toContain(`Customer ${i + 1} Quist`);
      expect(page).toContain(offers[i % 2]);
    }
  });
});

describe('shared page-content prefix', () => {
  it('writes what pages paint before their first inline text once, and the page looks the same (qpdf, pdftoppm)', () => {
    const bytes = new Uint8Array(readFileSync(FONT));
    const sha = sha256Hex(bytes);
    const doc = TemplateDocumentSchema.parse({
      format: 'presswork-template',
      formatVersion: 1,
      id: 'prefix',
      name: 'Prefix',
      brand: {
        name: 'Test',
        fonts: [{ id: 'body', family: 'Source Sans 3', weight: 400, asset: 'font-body', licence: 'OFL' }],
        swatches: [
          { id: 'spot', name: 'Spot', spot: { name: 'PANTONE 186 C', lab: [43, 68, 40] }, cmyk: [0, 100, 80, 5], srgb: '#c8102e' },
          { id: 'pale', name: 'Pale', cmyk: [30, 0, 0, 0], srgb: '#b3e5fc' },
        ],
      },
      assets: [{ id: 'font-body', name: 'SourceSans3-Regular.ttf', mediaType: 'font/ttf', sha256: sha, bytes: bytes.length }],
      data: { recordKey: 'id', fields: [{ name: 'id' }, { name: 'name' }] },
      print: {
        pages: [
          {
            id: 'p1',
            name: 'Page',
            width: 300,
            height: 100,
            elements: [
              { id: 'band', type: 'rect', x: 0, y: 0, width: 300, height: 40, fill: { swatch: 'pale' } },
              {
                id: 'name',
                type: 'text',
                x: 20,
                y: 50,
                width: 260,
                height: 40,
                style: { font: 'body', size: 24, color: { swatch: 'spot' } },
                paragraphs: [{ runs: [{ text: '{{ name }}' }] }],
              },
            ],
          },
        ],
      },
    });
    const names = ['Ada Quist', 'Bo Varga', 'Cy Wendt', 'Di Xu'];
    const job = (order: number[], out: string) => {
      const records = order.map((k, i) => ({ row: i + 1, record: { id: `R${k}`, name: names[k]! } }));
      const r = composePrintJob({ document: doc, assets: new Map([[sha, bytes]]) }, records, {
        out,
        onError: 'fail',
        today: '2026-11-22',
        compression: 0,
      });
      expect(r.ok).toBe(true);
      expect(tool('qpdf', ['--check', out])).toContain('No syntax or stream encoding errors');
      return readFileSync(out, 'latin1');
    };
    const first = join(dir, 'prefix-a.pdf');
    const last = join(dir, 'prefix-c.pdf');
    job([0, 1, 2, 3], first);
    const pdf = job([3, 2, 1, 0], last);
    // The first pages have one content stream (a prefix is shared from its second sighting, the first line's
    // origin goes into it from its second sighting); later pages share the first stream of their /Contents.
    const contents = [...pdf.matchAll(/\/Type\/Page\/[^>]*?\/Contents *(\[[^\]]*\]|\d+ 0 R)/g)].map((m) => m[1]!);
    expect(contents).toHaveLength(4);
    expect(contents[0]).toMatch(/^ ?\d+ 0 R$/);
    const shared = contents.slice(2).map((c) => /^\[(\d+) 0 R \d+ 0 R\]$/.exec(c)?.[1]);
    expect(shared[0]).toBeDefined();
    expect(shared[1]).toBe(shared[0]);
    // Record 0 drawn from one stream (first job, page 1) and through the shared prefix (second job, page 4).
    for (let p = 1; p <= 4; p++) {
      const text = tool('pdftotext', ['-f', String(p), '-l', String(p), last, '-']);
      expect(text).toContain(names[4 - p]);
    }
    const png = (file: string, page: number) => {
      const base = join(dir, `prefix-${page}-${file.endsWith('a.pdf') ? 'a' : 'c'}`);
      tool('pdftoppm', ['-r', '72', '-png', '-f', String(page), '-l', String(page), '-singlefile', file, base]);
      return readFileSync(`${base}.png`);
    };
    expect(png(last, 4).equals(png(first, 1))).toBe(true);
    expect(png(last, 1).equals(png(first, 1))).toBe(false);
  });
});

describe('output intent', () => {
  it('writes the template’s ICC profile as a GTS_PDFX output intent (qpdf, Ghostscript)', () => {
    expect(existsSync(ICC), `${ICC} is installed with ghostscript (scripts/setup.sh)`).toBe(true);
    // A template folder: the sample campaign plus the profile as an asset named by print.outputIntent.
    const folder = join(dir, 'with-intent');
    cpSync(join(SAMPLE, 'template.json'), join(folder, 'template.json'));
    cpSync(join(SAMPLE, 'assets'), join(folder, 'assets'), { recursive: true });
    cpSync(ICC, join(folder, 'assets/profiles/default_cmyk.icc'));
    const doc = JSON.parse(readFileSync(join(folder, 'template.json'), 'utf8')) as {
      assets: { id: string; name: string; mediaType: string }[];
      print: { outputIntent?: string };
    };
    doc.assets.push({ id: 'press-profile', name: 'profiles/default_cmyk.icc', mediaType: 'application/vnd.iccprofile' });
    doc.print.outputIntent = 'press-profile';
    writeFileSync(join(folder, 'template.json'), JSON.stringify(doc));
    const out = join(dir, 'intent.pdf');
    const r = cli([
      'compose',
      'print',
      folder,
      '--data',
      join(SAMPLE, 'data/customers.csv'),
      '--range',
      '1-2',
      '--out',
      out,
      '--today',
      '2026-11-22',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(tool('qpdf', ['--check', out])).toContain('No syntax or stream encoding errors');

    // qpdf's JSON (version 1): objects by "N 0 R", streams by their dictionary.
    const objects = (
      JSON.parse(tool('qpdf', ['--json=1', '--json-key=objects', out])) as { objects: Record<string, Record<string, unknown>> }
    ).objects;
    const value = (ref: unknown) => objects[String(ref)]!;
    const catalog = value(objects.trailer!['/Root']);
    const intents = catalog['/OutputIntents'] as string[];
    expect(intents).toHaveLength(1);
    const intent = value(intents[0]);
    expect(intent['/Type']).toBe('/OutputIntent');
    expect(intent['/S']).toBe('/GTS_PDFX');
    expect(String(intent['/OutputConditionIdentifier']).length).toBeGreaterThan(0);
    expect(String(intent['/Info']).length).toBeGreaterThan(0);
    const profile = value(intent['/DestOutputProfile']);
    expect(profile['/N']).toBe(4);
    // The profile travels whole: its decoded bytes are the file's.
    const id = String(intent['/DestOutputProfile']).split(' ')[0]!;
    const icc = execFileSync('qpdf', [`--show-object=${id}`, '--filtered-stream-data', out], { maxBuffer: 64 << 20 });
    expect(Buffer.compare(icc, readFileSync(ICC))).toBe(0);

    // Ghostscript still renders the page.
    const png = join(dir, 'intent.png');
    tool('gs', [
      '-q',
      '-dBATCH',
      '-dNOPAUSE',
      '-dSAFER',
      '-r20',
      '-dFirstPage=1',
      '-dLastPage=1',
      '-sDEVICE=png16m',
      `-sOutputFile=${png}`,
      out,
    ]);
    expect(readFileSync(png).length).toBeGreaterThan(1000);
  });

  it('refuses a profile that is not an ICC profile, before writing anything', () => {
    const folder = join(dir, 'bad-intent');
    cpSync(join(SAMPLE, 'template.json'), join(folder, 'template.json'));
    cpSync(join(SAMPLE, 'assets'), join(folder, 'assets'), { recursive: true });
    writeFileSync(join(folder, 'assets/not-a-profile.icc'), 'hello, I am not a profile'.repeat(10));
    const doc = JSON.parse(readFileSync(join(folder, 'template.json'), 'utf8')) as {
      assets: { id: string; name: string; mediaType: string }[];
      print: { outputIntent?: string };
    };
    doc.assets.push({ id: 'bad', name: 'not-a-profile.icc', mediaType: 'application/vnd.iccprofile' });
    doc.print.outputIntent = 'bad';
    writeFileSync(join(folder, 'template.json'), JSON.stringify(doc));
    const out = join(dir, 'bad.pdf');
    const r = cli([
      'compose',
      'print',
      folder,
      '--data',
      join(SAMPLE, 'data/customers.csv'),
      '--range',
      '1-1',
      '--out',
      out,
      '--today',
      '2026-11-22',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('print.outputIntent');
    expect(r.stderr).toContain('not a usable ICC profile');
    expect(existsSync(out)).toBe(false);
  });
});
