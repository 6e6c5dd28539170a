import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEml } from './eml-parse';
import { SAMPLE_CSV, SAMPLE_DIR } from './sample';

const BIN = join(SAMPLE_DIR, '../../bin/presswork.mjs');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const sampleReady = existsSync(join(SAMPLE_DIR, 'assets/logos/northside.png')) && existsSync(SAMPLE_CSV);

describe.skipIf(!sampleReady)('presswork compose email (sample campaign)', () => {
  const out = mkdtempSync(join(tmpdir(), 'pw-email-'));
  const res = run(['compose', 'email', SAMPLE_DIR, '--data', SAMPLE_CSV, '--out', out, '--today', '2026-11-22']);
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as {
    records: number;
    written: { row: number; key: string; file: string; to: string }[];
    reported: { row: number; column?: string; code: string; message: string }[];
  };

  it('writes one .eml per record except the reported ones, and says so on stderr and in index.json', () => {
    expect(index.records).toBe(200); // assets/sample-campaign/data/README.md: 200 records
    const emls = readdirSync(out).filter((f) => f.endsWith('.eml'));
    expect(emls.length).toBe(index.written.length);
    expect(index.written.length + new Set(index.reported.map((r) => r.row)).size).toBe(index.records);
    const badEmail = index.reported.find((r) => r.message.includes('maria.garcia@@example'));
    expect(badEmail).toMatchObject({ column: 'email', code: 'bad-value' });
    expect(res.stderr).toContain(`row ${badEmail!.row} `);
    expect(res.stderr).toContain('maria.garcia@@example');
    expect(res.status).toBe(2);
  });

  it('writes valid multipart/alternative UTF-8 messages with encoded headers and List-Unsubscribe', () => {
    const first = index.written[0]!;
    const raw = readFileSync(join(out, first.file));
    const mail = parseEml(raw);
    expect(mail.header('to')).toBe(first.to);
    expect(mail.header('content-type')).toMatch(/^multipart\/alternative/);
    expect(mail.parts.map((p) => p.contentType)).toEqual(['text/plain; charset=utf-8', 'text/html; charset=utf-8']);
    expect(mail.parts[0]!.body).toContain('Book my service:');
    expect(mail.parts[1]!.body).toContain('<!doctype html>');
    expect(mail.header('list-unsubscribe')).toBe(`<https://example.invalid/unsubscribe/${first.key}>`);
    expect(mail.parts[1]!.body).toContain(`https://example.invalid/unsubscribe/${first.key}`);
  });

  it('uses the fallback dealer for the unknown key ZZ99', () => {
    const lines = readFileSync(SAMPLE_CSV, 'utf8').split(/\r?\n/);
    const header = lines[0]!.split(',');
    const dealerCol = header.indexOf('dealer_id');
    const idx = lines.findIndex((l, i) => i > 0 && l.split(',')[dealerCol] === 'ZZ99');
    const w = index.written.find((x) => x.row === idx);
    expect(w).toBeDefined();
    const mail = parseEml(readFileSync(join(out, w!.file)));
    expect(mail.header('from')).toBe('Presswork Auto Network Service <service@presswork-auto.example>');
  });
});

describe('presswork compose email with hostile data', () => {
  it.skipIf(!sampleReady)('encodes non-ASCII and hostile names in headers and escapes them in HTML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-hostile-'));
    const csv = join(dir, 'h.csv');
    writeFileSync(
      csv,
      'customer_id,first_name,last_name,email,address1,city,state,postal_code,vehicle_make,last_service_date,dealer_id,offer_eligible,offer_amount\n' +
        'H1,"<script>alert(1)</script> {{ 7*7 }} {% raw %} ""Zoë"" & co",X,h@example.com,1 St,Town,OH,1,Škoda,2026-08-31,NS01,yes,10\n',
    );
    const r = run(['compose', 'email', SAMPLE_DIR, '--data', csv, '--out', join(dir, 'out'), '--today', '2026-11-22']);
    expect(r.status, r.stderr).toBe(0);
    const raw = readFileSync(join(dir, 'out', '000001-H1.eml'));
    expect(raw.toString('latin1')).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    const mail = parseEml(raw);
    expect(mail.header('subject')).toBe('Hi <script>alert(1)</script> {{ 7*7 }} {% raw %} "Zoë" & co, your Škoda is due for service');
    const html = mail.parts[1]!.body;
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% raw %} &#34;Zoë&#34; &amp; co');
    expect(mail.parts[0]!.body).toContain('Hi <script>alert(1)</script> {{ 7*7 }} {% raw %} "Zoë" & co, your Škoda');
  });
});

describe('presswork preview email', () => {
  it.skipIf(!sampleReady)('writes one record as HTML with inlined assets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-preview-'));
    const html = join(dir, 'x.html');
    const out = execFileSync(
      process.execPath,
      [BIN, 'preview', 'email', SAMPLE_DIR, '--data', SAMPLE_CSV, '--record', '2', '--out', html, '--today', '2026-11-22'],
      { encoding: 'utf8' },
    );
    expect(out).toContain('record 2');
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/src="data:image\/png;base64,/);
    expect(page).toMatch(/url\('data:font\/(ttf|otf);base64,/);
  });
});
