import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composePrintJob } from '../../server/print/compose-job';
import { TemplateDocumentSchema } from '../../shared/model/document';
import { CUSTOMERS, SAMPLE, cli, tool } from './helpers';

/**
 * The PDF's document information (`/Title`, PDF 32000-1 §14.3.3) keeps every character of the template's name:
 * printable ASCII as a literal string with its delimiters escaped, anything else as UTF-16BE with a byte order
 * mark. Read back with poppler's pdfinfo and checked with qpdf.
 */
const dir = mkdtempSync(join(tmpdir(), 'pw-pdf-meta-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOSTILE: Record<string, string> = {
  'parentheses and backslashes': 'Service (Herbst \\ 2026)) \\( \\\\ ( end',
  'German punctuation': 'Händler – Köln „Service“ 1.234,50 €',
  CJK: '春季保养提醒・サービスのお知らせ・정비 안내',
  emoji: '🚗💨 Service 👩🏽‍🔧 🇩🇪',
  RTL: 'تذكير الخدمة — תזכורת שירות',
  markup: '<script>alert(1)</script> {{ 7*7 }} javascript:alert(1) "quoted"',
};

function pdfTitle(path: string): string {
  const line = tool('pdfinfo', ['-enc', 'UTF-8', path])
    .split('\n')
    .find((l) => l.startsWith('Title:'));
  return (line ?? '').replace(/^Title:\s*/, '');
}

/** A one-page document with a filled rectangle: no fonts, so composing it is cheap. */
function composeTitled(name: string, out: string) {
  const doc = TemplateDocumentSchema.parse({
    format: 'presswork-template',
    formatVersion: 1,
    id: 'meta',
    name,
    brand: { name: 'Test', swatches: [{ id: 'ink', name: 'Ink', cmyk: [0, 0, 0, 100], srgb: '#000000' }] },
    data: { recordKey: 'id', fields: [{ name: 'id' }] },
    print: {
      pages: [
        {
          id: 'p1',
          name: 'Page',
          width: 200,
          height: 200,
          elements: [{ id: 'r', type: 'rect', x: 10, y: 10, width: 100, height: 100, fill: { swatch: 'ink' } }],
        },
      ],
    },
  });
  return composePrintJob({ document: doc, assets: new Map() }, [{ row: 1, record: { id: 'A' } }], {
    out,
    onError: 'fail',
    today: '2026-11-22',
  });
}

describe('PDF document information', () => {
  it.each(Object.entries(HOSTILE))('keeps a title with %s exactly (pdfinfo) in a valid file (qpdf)', (label, title) => {
    const out = join(dir, `${label.replace(/\W+/g, '-')}.pdf`);
    composeTitled(title, out);
    expect(pdfTitle(out)).toBe(title);
    expect(tool('qpdf', ['--check', out])).toMatch(/No syntax or stream encoding errors/);
  });

  it('writes ASCII titles as literal strings and the rest as UTF-16BE with a byte order mark', () => {
    const ascii = join(dir, 'ascii.pdf');
    composeTitled('Service (A) \\ B', ascii);
    const infoOf = (path: string) => tool('qpdf', ['--qdf', '--object-streams=disable', path, '-']);
    expect(infoOf(ascii)).toContain('/Title (Service \\(A\\) \\\\ B)');
    const umlaut = join(dir, 'umlaut.pdf');
    composeTitled('Ä', umlaut);
    expect(infoOf(umlaut)).toMatch(/\/Title <feff00c4>/i);
  });

  it('replaces a lone surrogate (not encodable) with U+FFFD and keeps the rest', () => {
    const out = join(dir, 'surrogate.pdf');
    composeTitled('A\ud800B', out);
    expect(pdfTitle(out)).toBe('A\ufffdB');
  });

  it('keeps a hostile template name as the title through `presswork compose print`', () => {
    const template = join(dir, 'campaign');
    cpSync(SAMPLE, template, { recursive: true });
    const title = Object.values(HOSTILE).join(' | ');
    const doc = JSON.parse(readFileSync(join(template, 'template.json'), 'utf8')) as { name: string };
    doc.name = title;
    writeFileSync(join(template, 'template.json'), JSON.stringify(doc));
    const out = join(dir, 'cards.pdf');
    const r = cli(['compose', 'print', template, '--data', CUSTOMERS, '--range', '1-1', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(pdfTitle(out)).toBe(title);
    expect(tool('qpdf', ['--check', out])).toMatch(/No syntax or stream encoding errors/);
  });
});
