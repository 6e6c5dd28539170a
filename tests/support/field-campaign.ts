import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A field-style campaign for the email and rules tests: the sample campaign switched to de-DE (EUR), with a
 * `website` text field used as a link (text run, raw block), a text field `voucher_flag` behind a boolean
 * rule `show_voucher` that shows a "VOUCHER-BOX" in print and email, a number rule that cannot be read for
 * one record, a Reply-To from the dealer, and a data file as German Excel writes it: Windows-1252, `;`,
 * decimal commas, `03.04.2026` dates, an `E-Mail` header — with hostile values in every field.
 */

const SAMPLE = fileURLToPath(new URL('../../assets/sample-campaign', import.meta.url));

export interface FieldRow {
  key: string;
  first: string;
  last: string;
  email: string;
  model: string;
  website: string;
  voucher: string;
}

export const LONG_KEY = `K${'9'.repeat(4999)}`;

/** Rows with the website value each one tries and the voucher flag the boolean rule reads. */
export const FIELD_ROWS: FieldRow[] = [
  {
    key: 'R1',
    first: '<script>alert(1)</script>',
    last: 'Müller',
    email: 'r1@kunde.example',
    model: 'Golf',
    website: 'javascript:alert(1)',
    voucher: 'no',
  },
  {
    key: 'R2',
    first: 'Jörg',
    last: '"Zoë" <b>',
    email: 'r2@kunde.example',
    model: 'Polo',
    website: 'JaVa\tScRiPt:alert(2)',
    voucher: 'No ',
  },
  {
    key: 'R3',
    first: '{{ 7*7 }}',
    last: 'Ärger',
    email: 'r3@kunde.example',
    model: 'Passat',
    website: 'data:text/html;base64,PHNjcmlwdD4=',
    voucher: '0',
  },
  {
    key: 'R4',
    first: 'Ünal',
    last: 'Öz',
    email: 'r4@kunde.example',
    model: 'Tiguan',
    website: ' vbscript:msgbox("<b>")',
    voucher: 'false',
  },
  { key: 'R5', first: 'Grüße', last: 'Straße', email: 'r5@kunde.example', model: 'Up', website: '//evil.example/x', voucher: '' },
  {
    key: 'R6',
    first: 'Anna',
    last: 'Schmidt',
    email: 'r6@kunde.example',
    model: 'ID.3',
    website: 'https://www.autohaus-angebot.example/angebot?a=1&b=2',
    voucher: 'yes',
  },
  {
    key: 'R7',
    first: 'Kaputt',
    last: 'Regel',
    email: 'r7@kunde.example',
    model: 'Golf',
    website: 'mailto:info@autohaus.example',
    voucher: 'kaputt',
  },
  {
    key: LONG_KEY,
    first: 'مريم',
    last: '王小明',
    email: 'r8@kunde.example',
    model: 'e-Golf 🚗',
    website: 'tel:+49 30 1234567',
    voucher: 'FALSE',
  },
  {
    key: 'R9',
    first: 'Zoë',
    last: '{% raw %}',
    email: 'r9@kunde.example',
    model: 'Arteon',
    website: 'java&#115;cript:alert(9)',
    voucher: '1',
  },
];

/** The rows whose website the URL policy refuses. */
export const REFUSED = ['R1', 'R2', 'R3', 'R4', 'R5', 'R9'];
/** The rows whose voucher box must show (the boolean rule is true). */
export const VOUCHER_SHOWN = ['R6', 'R9'];

const cp1252 = (s: string): Uint8Array => {
  const extra: Record<string, number> = { '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };
  return Uint8Array.from([...s].map((c) => extra[c] ?? (c.charCodeAt(0) < 256 ? c.charCodeAt(0) : 0x3f)));
};
const cell = (v: string) => (/[;"\n\r\t]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export interface FieldCampaign {
  dir: string;
  template: string;
  /** The data as Windows-1252 bytes (`;`, decimal commas). */
  dataCp1252: string;
  /** The same data as JSON records (for the server's inline records; every value a string as in the file). */
  records: Record<string, string>[];
  /** The template document as written. */
  document: Record<string, unknown>;
}

export function fieldCampaign(): FieldCampaign {
  const dir = mkdtempSync(join(tmpdir(), 'presswork-field-'));
  const template = join(dir, 'template');
  cpSync(SAMPLE, template, { recursive: true });
  const doc = JSON.parse(readFileSync(join(template, 'template.json'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  doc.data.locale = 'de-DE';
  doc.data.currency = 'EUR';
  for (const f of doc.data.fields) if (f.name === 'email') f.aliases = ['E-Mail'];
  doc.data.fields.push({ name: 'website', type: 'text' }, { name: 'voucher_flag', type: 'text' });
  doc.rules.push(
    { name: 'show_voucher', type: 'boolean', expression: '{{ voucher_flag }}' },
    { name: 'points', type: 'number', expression: "{% if voucher_flag == 'kaputt' %}n/a{% else %}{{ mileage | default: 0 }}{% endif %}" },
  );
  doc.email.replyTo = '{{ dealer.email }}';
  doc.email.sections.splice(1, 0, {
    id: 'em-field',
    columns: [
      {
        id: 'em-field-col',
        blocks: [
          {
            id: 'em-voucher',
            type: 'text',
            visibleIf: 'rules.show_voucher',
            paragraphs: [{ runs: [{ text: 'VOUCHER-BOX {{ rules.points }}' }] }],
          },
          { id: 'em-web', type: 'text', paragraphs: [{ runs: [{ text: 'Unsere Website', href: '{{ website }}' }] }] },
          { id: 'em-raw', type: 'raw', html: '<p><a href="{{ website }}">raw-link</a></p>' },
        ],
      },
    ],
  });
  const front = doc.print.pages[0];
  front.elements.push({
    id: 'voucher-box',
    type: 'text',
    x: 36,
    y: 240,
    width: 200,
    height: 30,
    visibleIf: 'rules.show_voucher',
    style: { font: 'font-oswald-bold', size: 12, color: { swatch: 'paper' } },
    paragraphs: [{ runs: [{ text: 'VOUCHER-BOX' }] }],
    fit: { mode: 'shrink', minSize: 4 },
  });
  writeFileSync(join(template, 'template.json'), `${JSON.stringify(doc, null, 2)}\n`);

  const header = [
    'customer_id',
    'first_name',
    'last_name',
    'E-Mail',
    'address1',
    'city',
    'state',
    'postal_code',
    'vehicle_make',
    'vehicle_model',
    'last_service_date',
    'mileage',
    'dealer_id',
    'offer_eligible',
    'offer_amount',
    'website',
    'voucher_flag',
  ];
  const records = FIELD_ROWS.map((r, i) => ({
    customer_id: r.key,
    first_name: r.first,
    last_name: r.last,
    'E-Mail': r.email,
    address1: `Hauptstraße ${i + 1}`,
    city: 'München',
    state: 'BY',
    postal_code: '80331',
    vehicle_make: 'VW',
    vehicle_model: r.model,
    last_service_date: '03.04.2026',
    mileage: '48.210',
    dealer_id: i % 2 ? 'LK02' : 'NS01',
    offer_eligible: i % 3 ? 'x' : '',
    offer_amount: '1.234,50',
    website: r.website,
    voucher_flag: r.voucher,
  }));
  const csv = [header.join(';'), ...records.map((r) => header.map((h) => cell((r as Record<string, string>)[h] ?? '')).join(';'))].join(
    '\r\n',
  );
  const dataCp1252 = join(dir, 'kunden.csv');
  writeFileSync(dataCp1252, cp1252(`${csv}\r\n`));
  return { dir, template, dataCp1252, records, document: doc };
}

/**
 * Every URL a composed HTML message makes the mail client load by itself (img/src, srcset, background,
 * CSS url(), link href) and every link target (a/href), after HTML entity decoding of `&amp;`.
 */
export function urlsIn(html: string): { loads: string[]; links: string[] } {
  const un = (s: string) =>
    s
      .replace(/&amp;/g, '&')
      .replace(/&#39;/g, "'")
      .replace(/&quot;|&#34;/g, '"');
  const loads: string[] = [];
  const links: string[] = [];
  for (const m of html.matchAll(/<(\w+)\b([^>]*)>/g)) {
    const tag = m[1]!.toLowerCase();
    for (const a of m[2]!.matchAll(/\s([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      const name = a[1]!.toLowerCase();
      const value = un(a[2] ?? a[3] ?? '');
      if (name === 'src' || name === 'background' || name === 'srcset' || (tag === 'link' && name === 'href')) loads.push(value);
      else if (name === 'href') links.push(value);
    }
  }
  for (const m of html.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)/g)) loads.push(un(m[1]!));
  return { loads, links };
}

/** A URL's host, or undefined for mailto:, tel: and empty values. */
export const hostOf = (u: string): string | undefined => {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(u.trim());
  return m ? m[1]!.toLowerCase() : undefined;
};

/** The hosts the template itself names in links (the designer's own links, e.g. the dealer sites). */
export function templateHosts(doc: unknown): Set<string> {
  const out = new Set<string>();
  for (const m of JSON.stringify(doc).matchAll(/https?:\/\/([^/"?#\\\s]+)/gi)) out.add(m[1]!.toLowerCase());
  return out;
}
