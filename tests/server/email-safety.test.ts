import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { loadTemplate } from '../../server/templates/load';
import { writeTemplatePackage } from '../../shared/model/package';
import type { RunningServer } from '../../server/server';
import { client, decodedBody, header, startSmtpSink, startTestServer, tempDir, token, waitFor, type SmtpSink } from './harness';
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

/**
 * The delivery server composes with the same policies as `compose email` (tests/email/field-data.test.ts):
 * over real loopback HTTP with a real SMTP receiver, the field campaign's hostile links are dropped from the
 * sent messages and listed in the job's per-record errors, images and icons come from the server's public
 * URL only, Reply-To is set, every header line is folded to 78 characters, and boolean rules hide what they should.
 */

let sink: SmtpSink;
let server: RunningServer;
let tmp: ReturnType<typeof tempDir>;
let fc: FieldCampaign;
let jobId = '';

beforeAll(async () => {
  tmp = tempDir('email-safety');
  fc = fieldCampaign();
  sink = await startSmtpSink();
  server = await startTestServer(tmp.dir, {}, sink.port);
  const loaded = await loadTemplate(fc.template);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const publisher = client(server.url, token(server, 'publisher'));
  const pub = await publisher('POST', '/api/v1/templates', writeTemplatePackage(loaded.pkg), { 'content-type': 'application/zip' });
  expect(pub.status, pub.text).toBe(201);
  const operator = client(server.url, token(server, 'operator'));
  // Typed JSON records (the server's own CSV typing is another engineer's work): the same values as the file.
  const records = fc.records.map((r) => ({
    ...r,
    'E-Mail': undefined,
    email: r['E-Mail'],
    mileage: 48210,
    offer_amount: 1234.5,
    offer_eligible: r.offer_eligible === 'x',
    last_service_date: '2026-04-03',
  }));
  const created = await operator('POST', '/api/v1/jobs', {
    templateId: 'service-reminder',
    version: 1,
    channels: ['email'],
    data: { records: JSON.parse(JSON.stringify(records)) },
  });
  expect(created.status, created.text).toBe(201);
  jobId = created.json.id as string;
  const viewer = client(server.url, token(server, 'viewer'));
  await waitFor(
    'the job to complete',
    async () => {
      const j = await viewer('GET', `/api/v1/jobs/${jobId}`);
      return j.json.status === 'completed' ? j.json : undefined;
    },
    60_000,
    200,
  );
}, 90_000);

afterAll(async () => {
  await server?.close();
  await sink?.close();
  tmp?.remove();
  if (fc) rmSync(fc.dir, { recursive: true, force: true });
});

const messageFor = (email: string) => {
  const m = sink.messages.find((x) => x.to[0] === email);
  if (!m) throw new Error(`no message to ${email}`);
  return { raw: m.raw, html: decodedBody(m.raw) };
};

describe('delivery: one URL policy, no third-party requests, folded headers', () => {
  it('sends every record but the one whose number rule fails, and lists refused links in the per-record errors', async () => {
    expect(sink.messages.length).toBe(FIELD_ROWS.length - 1);
    const viewer = client(server.url, token(server, 'viewer'));
    const errors = (await viewer('GET', `/api/v1/jobs/${jobId}/errors`)).json as {
      errors: { row: number; recordKey: string | null; message: string }[];
    };
    const byKey = new Map(errors.errors.map((e) => [e.recordKey, e.message]));
    for (const key of REFUSED) expect(byKey.get(key), key).toMatch(/^link "em-web\.1": .*; the link was removed; link "em-raw\.1": /);
    expect(byKey.get('R2')).toContain('"JaVa\\tScRiPt:alert(2)" uses "javascript:"');
    expect(byKey.get('R7')).toContain('rule "points" is a number rule but rendered "n/a"');
    expect([...byKey.keys()].sort()).toEqual([...REFUSED, 'R7'].sort());
  });

  it('puts no javascript:, data: or vbscript: value into any href or src', () => {
    for (const row of FIELD_ROWS.filter((r) => r.key !== 'R7')) {
      const { html } = messageFor(row.email);
      const { links, loads } = urlsIn(html);
      for (const u of [...links, ...loads])
        expect(u.replace(/\s+/g, '').toLowerCase(), row.key).not.toMatch(/^(javascript|data|vbscript):|^\/\//);
    }
  });

  it('loads images, icons and the open pixel from the public URL only; links go to the server or the template own hosts', async () => {
    const publicHost = hostOf(server.url)!;
    const own = templateHosts(fc.document);
    let icons = 0;
    for (const row of FIELD_ROWS.filter((r) => r.key !== 'R7')) {
      const { html } = messageFor(row.email);
      const { loads, links } = urlsIn(html);
      for (const u of loads) expect(hostOf(u), u).toBe(publicHost);
      for (const u of links) {
        const h = hostOf(u);
        if (h) expect(h === publicHost || own.has(h), u).toBe(true);
      }
      const icon = /<img[^>]+alt="Facebook"[^>]+src="([^"]+)"|<img[^>]+src="([^"]+)"[^>]+alt="Facebook"/.exec(html);
      expect(icon, row.key).not.toBeNull();
      if (icons++ === 0) {
        const res = await fetch((icon![1] ?? icon![2])!.replace(/&amp;/g, '&'));
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/png');
      }
    }
  });

  it('sets Reply-To from the template and folds every header line to 78 characters (5,000-character key included)', () => {
    for (const row of FIELD_ROWS.filter((r) => r.key !== 'R7')) {
      const { raw } = messageFor(row.email);
      const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
      for (const line of head.split('\r\n')) expect(line.length, `${row.key.slice(0, 8)}: ${line.slice(0, 30)}`).toBeLessThanOrEqual(78);
      expect(header(raw, 'Reply-To')).toMatch(/^service@(northside-motors|lakeview-auto)\.example$/);
    }
    expect(messageFor(FIELD_ROWS.find((r) => r.key === LONG_KEY)!.email).html).toMatch(/<html lang="de-DE" dir="ltr"/);
  });

  it('hides the voucher box wherever the boolean rule renders no, "No ", 0, false, FALSE or nothing', () => {
    for (const row of FIELD_ROWS.filter((r) => r.key !== 'R7'))
      expect(messageFor(row.email).html.includes('VOUCHER-BOX'), row.key.slice(0, 8)).toBe(VOUCHER_SHOWN.includes(row.key));
  });
});
