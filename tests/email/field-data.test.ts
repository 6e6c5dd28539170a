import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPresswork, type CliResult } from '../support/cli';
import {
  FIELD_ROWS,
  LONG_KEY,
  REFUSED,
  VOUCHER_SHOWN,
  fieldCampaign,
  hostOf,
  templateHosts,
  urlsIn,
  type FieldCampaign,
} from '../support/field-campaign';
import { parseEml } from './eml-parse';

/**
 * `presswork compose email` and `compose print` on German Excel data with hostile values (tests/support/field-campaign.ts):
 * the URL policy, typed rules, Reply-To, header folding, lang, and no third-party requests — through the real CLI.
 */

interface Index {
  records: number;
  written: { row: number; key: string; file: string; problems?: { code: string; id: string; message: string }[] }[];
  reported: { row: number; key?: string; code: string; message: string }[];
  warnings: string[];
}

let fc: FieldCampaign;
let email: CliResult;
let index: Index;
const BASE = 'https://mail.autohaus.example';
const out = () => join(fc.dir, 'out');
const eml = (key: string) => {
  const w = index.written.find((x) => x.key === key);
  if (!w) throw new Error(`record ${key.slice(0, 20)} was not written: ${JSON.stringify(index.reported)}`);
  const raw = readFileSync(join(out(), w.file));
  return { raw: raw.toString('latin1'), mail: parseEml(raw), written: w };
};

beforeAll(async () => {
  fc = fieldCampaign();
  email = await runPresswork(
    ['compose', 'email', fc.template, '--data', fc.dataCp1252, '--out', out(), '--today', '2026-11-22', '--base-url', BASE],
    { timeoutMs: 120_000 },
  );
  index = JSON.parse(readFileSync(join(out(), 'index.json'), 'utf8')) as Index;
}, 150_000);
afterAll(() => rmSync(fc.dir, { recursive: true, force: true }));

describe('compose email: one URL policy for every href and src', () => {
  it('drops javascript:, data:, vbscript:, protocol-relative and obfuscated values from every link and reports each', () => {
    for (const key of REFUSED) {
      const { mail, written } = eml(key);
      const html = mail.parts[1]!.body;
      const { links, loads } = urlsIn(html);
      for (const u of [...links, ...loads]) {
        // eslint-disable-next-line no-control-regex
        const squeezed = u.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
        expect(squeezed, `${key}: ${u}`).not.toMatch(/^(javascript|data|vbscript):|^\/\/|script:/);
      }
      expect(html).toContain('Unsere Website');
      expect(html).toContain('raw-link');
      // Both the text run and the raw block's href were refused.
      expect(written.problems?.map((p) => [p.code, p.id])).toEqual([
        ['unsafe-link', 'em-web.1'],
        ['unsafe-link', 'em-raw.1'],
      ]);
      expect(mail.parts[0]!.body).not.toMatch(/javascript|vbscript|data:text/i);
    }
    expect(email.stderr).toMatch(/\[R2\]: link "em-web\.1": "JaVa\\tScRiPt:alert\(2\)" uses "javascript:", which is not allowed in a link/);
    expect(email.stderr).toMatch(/\[R5\]: link "em-web\.1": "\/\/evil\.example\/x" is not an absolute address/);
    // Written without the link, and said so in the summary and the exit code.
    expect(email.stdout).toMatch(/6 written without a refused link or image/);
    expect(email.code).toBe(2);
  });

  it('keeps http(s), mailto and tel links (with click-tracking kinds intact)', () => {
    expect(urlsIn(eml('R6').mail.parts[1]!.body).links).toContain('https://www.autohaus-angebot.example/angebot?a=1&b=2');
    expect(urlsIn(eml(LONG_KEY).mail.parts[1]!.body).links).toContain('tel:+49 30 1234567');
    for (const key of ['R6', LONG_KEY]) expect(eml(key).written.problems).toBeUndefined();
  });
});

describe('compose email: no third-party requests', () => {
  it('loads every image, icon and font from the asset base only, with meaningful alt text on the social icons', () => {
    const own = templateHosts(fc.document);
    for (const w of index.written) {
      const html = eml(w.key).mail.parts[1]!.body;
      const { loads, links } = urlsIn(html);
      expect(loads.length).toBeGreaterThan(3);
      for (const u of loads) expect(hostOf(u), u).toBe('mail.autohaus.example');
      const row = FIELD_ROWS.find((r) => r.key === w.key)!;
      for (const u of links) {
        const h = hostOf(u);
        if (h) expect(h === 'mail.autohaus.example' || own.has(h) || hostOf(row.website) === h, u).toBe(true);
      }
      expect(html).not.toMatch(/mailjet|facebook\.com\/sharer/i);
      expect(html).toMatch(/<img[^>]+alt="Facebook"[^>]*>/);
      expect(html).toMatch(/<img[^>]+alt="Website"[^>]*>/);
    }
  });
});

describe('compose email: headers, Reply-To, lang', () => {
  it('folds every header line to 78 characters, also for a 5,000-character record key', () => {
    for (const w of index.written) {
      const { raw } = eml(w.key);
      const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
      for (const line of head.split('\r\n')) expect(line.length, line.slice(0, 40)).toBeLessThanOrEqual(78);
    }
    const { mail } = eml(LONG_KEY);
    expect(mail.header('x-presswork-record')).toBe(LONG_KEY);
    expect(mail.header('list-unsubscribe')!.replace(/\s+/g, '')).toBe(`<${BASE}/unsubscribe/${LONG_KEY}>`);
  });

  it('honours email.replyTo and writes the template locale into <html lang>', () => {
    expect(eml('R1').mail.header('reply-to')).toBe('service@northside-motors.example');
    expect(eml('R6').mail.header('reply-to')).toBe('service@lakeview-auto.example');
    expect(eml('R6').mail.parts[1]!.body).toMatch(/<html lang="de-DE" dir="ltr"/);
  });

  it('gives text blocks 25px side padding by default', () => {
    expect(eml('R6').mail.parts[1]!.body).toMatch(/padding:0 25px 12px 25px/);
  });
});

describe('typed rules mean what the docs say, in email and print alike', () => {
  it('a boolean rule rendering no, "No ", 0, false, FALSE or nothing hides the voucher box in email', () => {
    for (const w of index.written) {
      const shown = eml(w.key).mail.parts[1]!.body.includes('VOUCHER-BOX');
      expect(shown, w.key.slice(0, 10)).toBe(VOUCHER_SHOWN.includes(w.key));
    }
  });

  it('a number rule that renders "n/a" is a record error, not silently text', () => {
    expect(index.reported).toEqual([
      expect.objectContaining({ key: 'R7', message: expect.stringContaining('rule "points" is a number rule but rendered "n/a"') }),
    ]);
    expect(index.written.length).toBe(FIELD_ROWS.length - 1);
  });

  it('compose print shows the voucher box for exactly the same records', async () => {
    const pdf = join(fc.dir, 'print.pdf');
    const r = await runPresswork(
      ['compose', 'print', fc.template, '--data', fc.dataCp1252, '--out', pdf, '--today', '2026-11-22', '--json'],
      { timeoutMs: 120_000 },
    );
    const summary = JSON.parse(r.stdout) as { recordsDone: number; recordsSkipped: { key?: string; code: string; reason: string }[] };
    // R7: the number rule; the 5,000-character key cannot fit the back's QR code (QR payloads are data, not links).
    expect(summary.recordsSkipped.map((s) => [s.key?.slice(0, 10), s.code])).toEqual([
      ['R7', 'rule-failed'],
      [LONG_KEY.slice(0, 10), 'barcode-invalid'],
    ]);
    expect(summary.recordsSkipped[0]!.reason).toContain('rule "points" is a number rule but rendered "n/a"');
    const pages = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).split('\f');
    const fronts = pages.filter((_, i) => i % 2 === 0).slice(0, summary.recordsDone);
    const printed = FIELD_ROWS.filter((row) => row.key !== 'R7' && row.key !== LONG_KEY);
    expect(fronts.map((t, i) => [printed[i]!.key.slice(0, 10), t.includes('VOUCHER-BOX')])).toEqual(
      printed.map((row) => [row.key.slice(0, 10), VOUCHER_SHOWN.includes(row.key)]),
    );
  }, 150_000);
});

describe('preflight agrees with compose', () => {
  it('reports the same refused links (values quoted safely) and the same rule error', async () => {
    const r = await runPresswork(['preflight', fc.template, '--data', fc.dataCp1252, '--json', '--today', '2026-11-22'], {
      timeoutMs: 120_000,
      maxBuffer: 16 << 20,
    });
    const report = JSON.parse(r.stdout) as {
      findings: { code: string; rows: number[]; keys: string[]; message: string; severity: string }[];
    };
    const unsafe = report.findings.filter((f) => f.code === 'unsafe-link');
    expect(new Set(unsafe.flatMap((f) => f.keys))).toEqual(new Set(REFUSED));
    expect(unsafe.every((f) => f.severity === 'error')).toBe(true);
    // A value with `"` and `<` is quoted as a JSON string: the message stays one readable sentence.
    expect(unsafe.map((f) => f.message)).toContain(
      'link "em-web.1": "vbscript:msgbox(\\"<b>\\")" uses "vbscript:", which is not allowed in a link (only http, https, mailto, tel); the link was removed',
    );
    const ruleError = report.findings.find((f) => f.code === 'compose-failed' && f.keys.includes('R7'));
    expect(ruleError?.message).toContain('rule "points" is a number rule but rendered "n/a"');
    // compose email listed the same records as written without a link.
    expect(new Set(index.written.filter((w) => w.problems?.length).map((w) => w.key))).toEqual(new Set(REFUSED));
  }, 150_000);
});
