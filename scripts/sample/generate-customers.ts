/**
 * Generates assets/sample-campaign/data/customers.csv: 200 customers for the sample campaign, with the
 * hard cases real customer files have placed at fixed, documented rows (see the data folder's README.md
 * and tests/sample/sample-campaign.test.ts, which checks every one of them).
 *
 *   npx tsx scripts/sample/generate-customers.ts
 *
 * Deterministic: a seeded PRNG (mulberry32), no clock. Output: RFC 4180 CSV, UTF-8 without BOM, CRLF
 * between records, fields quoted only when they contain a comma, a double quote or a line break.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIELDS = [
  'customer_id',
  'first_name',
  'last_name',
  'email',
  'address1',
  'address2',
  'city',
  'state',
  'postal_code',
  'vehicle_year',
  'vehicle_make',
  'vehicle_model',
  'last_service_date',
  'mileage',
  'dealer_id',
  'offer_eligible',
  'offer_amount',
] as const;
export type Field = (typeof FIELDS)[number];
export type Customer = Record<Field, string>;

export const RECORD_COUNT = 200;
const SEED = 20261122;

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; the same seed always gives the same sequence. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST =
  'James Mary Robert Patricia Michael Jennifer William Linda David Elizabeth Richard Barbara Joseph Susan Thomas Jessica Christopher Sarah Daniel Karen Matthew Lisa Anthony Nancy Mark Betty Steven Sandra Andrew Ashley Kevin Emily Brian Michelle Aisha Carlos Priya Wei Fatima Diego Keisha Omar Hannah Tyrone Mei Luis Grace Samuel Olivia Ethan'.split(
    ' ',
  );
const LAST =
  'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Patel Kim'.split(
    ' ',
  );
const STREETS =
  'Maple Avenue|Oak Street|Elm Drive|Lakeshore Drive|Cedar Lane|Park Avenue|High Street|Broad Street|Washington Boulevard|Lincoln Way|Sunset Ridge Road|Willow Court|Meadow Lane|Riverside Drive|Hillcrest Road|Prairie View Trail|Juniper Circle|Aspen Way|Mesa Vista Drive|Granite Peak Road'.split(
    '|',
  );
const UNITS = ['Apt 2B', 'Apt 14', 'Unit 305', 'Suite 120', '# 4', 'Apt 1101', 'Unit B'];
const REGIONS: Record<string, { state: string; places: [string, string][] }> = {
  NS01: {
    state: 'OH',
    places: [
      ['Columbus', '43229'],
      ['Westerville', '43081'],
      ['Worthington', '43085'],
      ['Dublin', '43017'],
      ['Gahanna', '43230'],
    ],
  },
  LK02: {
    state: 'IL',
    places: [
      ['Chicago', '60625'],
      ['Chicago', '60613'],
      ['Evanston', '60201'],
      ['Skokie', '60076'],
      ['Oak Park', '60302'],
    ],
  },
  MV03: {
    state: 'CO',
    places: [
      ['Aurora', '80010'],
      ['Denver', '80220'],
      ['Centennial', '80112'],
      ['Englewood', '80110'],
      ['Lakewood', '80226'],
    ],
  },
};
const VEHICLES: [string, string[]][] = [
  ['Subaru', ['Outback', 'Forester', 'Crosstrek', 'Impreza']],
  ['Toyota', ['Camry', 'RAV4', 'Corolla', 'Highlander', 'Tacoma']],
  ['Honda', ['Civic', 'Accord', 'CR-V', 'Pilot']],
  ['Ford', ['F-150', 'Escape', 'Explorer', 'Mustang']],
  ['Chevrolet', ['Silverado 1500', 'Equinox', 'Malibu', 'Tahoe']],
  ['Hyundai', ['Elantra', 'Tucson', 'Santa Fe']],
  ['Mazda', ['CX-5', 'Mazda3', 'CX-30']],
  ['Volkswagen', ['Jetta', 'Tiguan', 'Atlas']],
];
const OFFERS = ['15.00', '20.00', '25.00', '30.00', '40.00', '50.00'];
const DOMAINS = ['example.com', 'example.net', 'example.org'];

/** ISO date `days` after 2025-11-25 (so every service date lies within the year before 2026-11-22). */
const serviceDate = (days: number): string => new Date(Date.UTC(2025, 10, 25) + days * 86_400_000).toISOString().slice(0, 10);

/** Lowercase ASCII for e-mail local parts: strip accents (NFD) and anything not a letter. */
const ascii = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/gi, 'l')
    .replace(/ø/gi, 'o')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/**
 * The hard cases, by 1-based data row. Each entry overrides fields of the generated record at that row.
 * Keep this table, data/README.md and tests/sample/sample-campaign.test.ts in step.
 */
export const HARD_CASES: { row: number; what: string; set: Partial<Customer> }[] = [
  { row: 3, what: 'Spanish diacritics (é, ñ)', set: { first_name: 'José', last_name: 'Muñoz', email: 'jose.munoz@example.com' } },
  { row: 7, what: 'Diaeresis (ë) in both names', set: { first_name: 'Zoë', last_name: 'Brontë', email: 'zoe.bronte@example.net' } },
  { row: 12, what: 'Polish letters (Ł, ó)', set: { first_name: 'Łukasz', last_name: 'Wróbel', email: 'lukasz.wrobel@example.org' } },
  {
    row: 18,
    what: 'Vietnamese stacked diacritics (ễ, ị, ươ); family name first in the source, given names in first_name',
    set: { first_name: 'Thị Hương', last_name: 'Nguyễn', email: 'huong.nguyen@example.com' },
  },
  { row: 23, what: 'Danish letters (ø, å)', set: { first_name: 'Søren', last_name: 'Kierkegård', email: 'soren.k@example.net' } },
  {
    row: 29,
    what: 'Greek script',
    set: { first_name: 'Γιώργος', last_name: 'Παπαδόπουλος', email: 'giorgos.papadopoulos@example.org' },
  },
  { row: 34, what: 'Cyrillic script', set: { first_name: 'Дмитрий', last_name: 'Иванов', email: 'dmitry.ivanov@example.com' } },
  {
    row: 41,
    what: 'Very long name (first + last = 55 characters with the space)',
    set: {
      first_name: 'Maximiliana Alexandrina',
      last_name: 'Featherstonehaugh-Wolfeschlegel',
      email: 'max.featherstonehaugh@example.com',
    },
  },
  {
    row: 47,
    what: 'Very long street line (address1, 71 characters) and a long address2',
    set: {
      address1: '12800 North Old Meridian Street Service Road, Building C, Rear Entrance',
      address2: 'Attn: Fleet Maintenance Coordinator, Loading Dock 7',
    },
  },
  { row: 52, what: 'Empty first_name (greeting falls back to "Hello")', set: { first_name: '' } },
  { row: 58, what: 'Empty vehicle_model', set: { vehicle_model: '' } },
  { row: 63, what: 'dealer_id ZZ99 matches no variant (the network fallback is used)', set: { dealer_id: 'ZZ99' } },
  {
    row: 71,
    what: 'Invalid e-mail address (two @)',
    set: { first_name: 'Maria', last_name: 'Garcia', email: 'maria.garcia@@example' },
  },
  {
    row: 77,
    what: 'Name with double quotes, a comma and an ampersand (needs CSV quoting)',
    set: { first_name: 'James "Jim"', last_name: 'Kelly, Jr. & Family', email: 'jim.kelly@example.net' },
  },
  { row: 84, what: 'Line break inside address2 (quoted field)', set: { address2: 'Building 4\nApt 12B' } },
  { row: 90, what: 'Service on 2026-08-31: six months later is 2027-02-28 (month end)', set: { last_service_date: '2026-08-31' } },
  { row: 95, what: 'Service on 2026-03-31: six months later is 2026-09-30 (month end)', set: { last_service_date: '2026-03-31' } },
  {
    row: 102,
    what: 'Service on 2025-12-31: six months later is 2026-06-30 (month and year end)',
    set: { last_service_date: '2025-12-31' },
  },
  { row: 110, what: 'Service on 2026-05-31: six months later is 2026-11-30 (month end)', set: { last_service_date: '2026-05-31' } },
  {
    row: 118,
    what: 'Service on 2026-10-31: six months later is 2027-04-30 (month end, year change)',
    set: { last_service_date: '2026-10-31' },
  },
  {
    row: 125,
    what: 'Service on 2026-08-29: six months later is 2027-02-28 or 03-01 depending on the date rule',
    set: { last_service_date: '2026-08-29' },
  },
  {
    row: 130,
    what: 'offer_eligible true but offer_amount 0.00 (no offer is printed)',
    set: { offer_eligible: 'true', offer_amount: '0.00' },
  },
  {
    row: 136,
    what: 'Spaces around first_name ("  Maria ") for the first_name_clean rule',
    set: { first_name: '  Maria ', email: 'maria.rivera@example.org' },
  },
  { row: 142, what: 'No e-mail address (print only)', set: { email: '' } },
  { row: 149, what: 'ZIP+4 postal code', set: { city: 'Columbus', state: 'OH', postal_code: '43229-1234', dealer_id: 'NS01' } },
  {
    row: 155,
    what: 'Postal code with a leading zero (must stay text) and an out-of-region address',
    set: { city: 'Hoboken', state: 'NJ', postal_code: '07030' },
  },
  { row: 163, what: 'Old vehicle with high mileage', set: { vehicle_year: '1998', mileage: '287450' } },
];

export function generateCustomers(): Customer[] {
  const rand = mulberry32(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const ids = new Set<string>();
  const rows: Customer[] = [];
  for (let i = 0; i < RECORD_COUNT; i += 1) {
    let id: string;
    do id = `C-${String(100000 + Math.floor(rand() * 900000))}`;
    while (ids.has(id));
    ids.add(id);
    // Dealers in rotation with a random share, so all three appear throughout the file.
    const dealer = rand() < 0.15 ? pick(['NS01', 'LK02', 'MV03']) : (['NS01', 'LK02', 'MV03'] as const)[i % 3]!;
    const region = REGIONS[dealer]!;
    const [city, zip] = pick(region.places);
    const first = pick(FIRST);
    const last = pick(LAST);
    const [make, models] = pick(VEHICLES);
    const eligible = rand() < 0.45;
    rows.push({
      customer_id: id,
      first_name: first,
      last_name: last,
      email: `${ascii(first)}.${ascii(last)}${Math.floor(rand() * 90) + 10}@${pick(DOMAINS)}`,
      address1: `${Math.floor(rand() * 9800) + 100} ${pick(STREETS)}`,
      address2: rand() < 0.12 ? pick(UNITS) : '',
      city,
      state: region.state,
      postal_code: zip,
      vehicle_year: String(2012 + Math.floor(rand() * 15)),
      vehicle_make: make,
      vehicle_model: pick(models),
      last_service_date: serviceDate(Math.floor(rand() * 355)),
      mileage: String(5000 + Math.floor(rand() * 140000)),
      dealer_id: dealer,
      offer_eligible: eligible ? 'true' : 'false',
      offer_amount: eligible ? pick(OFFERS) : '',
    });
  }
  for (const hc of HARD_CASES) Object.assign(rows[hc.row - 1]!, hc.set);
  return rows;
}

/** RFC 4180: quote a field that holds a comma, a double quote or a line break; double the quotes inside. */
export const csvField = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function toCsv(rows: readonly Customer[]): string {
  const lines = [FIELDS.join(','), ...rows.map((r) => FIELDS.map((f) => csvField(r[f])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), '../../assets/sample-campaign/data/customers.csv');
  writeFileSync(out, toCsv(generateCustomers()), 'utf8');
  console.log(`generate-customers: wrote ${RECORD_COUNT} customers to assets/sample-campaign/data/customers.csv`);
}
