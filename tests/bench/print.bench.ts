/**
 * Print composition benchmark: the same 6 × 9 in postcard (6 variable text fields, a dealer logo, brand fonts,
 * with and without one QR code per page) composed by Presswork and by pdfme's generator, in the same run.
 *
 *   npx tsx tests/bench/print.bench.ts            # all cases, JSON lines on stdout
 *   BENCH_RUNS=3 BENCH_RECORDS=5000 BENCH_PDFME_RECORDS=300 npx tsx tests/bench/print.bench.ts
 *
 * Every measurement runs in its own child process (so peak RSS is that case's alone); each case runs
 * BENCH_RUNS times and the medians are reported. pdfme is measured on fewer records (it is ~100× slower with
 * QR codes); pages/s and bytes/page are rates, so the counts need not match. Output: one JSON line per case.
 *
 * The records look like a mailing list: every full name and street line differs (nothing per-person recurs, so
 * nothing per-person can be cached), while first names, cities, vehicles, due dates and offers recur. Both
 * engines get the same records.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync, rmSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TemplateDocumentSchema, type TemplateDocument } from '../../shared/model/document';
import { sha256Hex } from '../../shared/model/package';
import type { BatchRecord } from '../../shared/compose/print/batch';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FONT_HEAD = join(ROOT, 'assets/sample-campaign/assets/fonts/Oswald_700Bold.ttf');
const FONT_BODY = join(ROOT, 'node_modules/source-sans/TTF/SourceSans3-Regular.ttf');
const LOGOS = ['northside.png', 'lakeview.png', 'mesaverde.jpg'].map((f) => join(ROOT, 'assets/sample-campaign/assets/logos', f));
const DEALERS = ['NS01', 'LK02', 'MV03'];
const W = 648;
const H = 432;

// Realistic mailing-list data: 60 first names × 100 surnames. Record i takes the pair j = (i × 2,609) mod 6,000
// (2,609 is coprime to 6,000), so no full name repeats within 6,000 records, while first names recur as they
// do in life. Street lines are unique too: house numbers 1000 + (i × 37) mod 8,999 (8,999 is prime).
const FIRST = [
  'Maria James Mei Sandra Oluwaseun Li Robert Ana Kofi Jennifer Dmitri Aisha',
  'Michael Linda David Patricia John Elizabeth William Barbara Richard Susan Joseph Jessica',
  'Thomas Sarah Carlos Karen Daniel Nancy Matthew Lisa Anthony Betty Mark Margaret',
  'Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Dorothy',
  'Kevin Carol José Amanda Hiroshi Melissa Jürgen Deborah Rajesh Stéphanie Ahmed Rebecca',
]
  .join(' ')
  .split(' ');
const LAST = [
  "García Smith Scott Young Adeyemi Chen O'Brien Kowalski Nguyen Johnson Müller Patel",
  'Williams Brown Jones Miller Davis Rodríguez Martínez Hernández López González Wilson Anderson',
  'Thomas Taylor Moore Jackson Martin Lee Pérez Thompson White Harris Sánchez Clark',
  'Ramírez Lewis Robinson Walker Allen King Wright Torres Hill Flores Green Adams',
  'Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gómez Phillips Evans Turner',
  'Díaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers',
  'Gutiérrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox',
  'Ward Richardson Watson Brooks Chávez Wood Schröder Bennett Gray Mendoza Ruiz Hughes',
  'Price Álvarez Castillo Sanders',
]
  .join(' ')
  .split(' ');
const STREETS = [
  'Maple Avenue|Juniper Circle|Oak Street|Lakeshore Drive|Elm Court|Main Street',
  'Cedar Lane|Park Boulevard|Willow Way|Hillcrest Road|Sunset Terrace|River Road',
  'Chestnut Street|Highland Avenue|Birch Place|Prospect Street|Washington Avenue|Meadow Lane',
]
  .join('|')
  .split('|');
const CITIES = [
  ['Columbus', 'OH', '43215'],
  ['Evanston', 'IL', '60201'],
  ['Aurora', 'CO', '80010'],
  ['Dayton', 'OH', '45402'],
];
const MAKES = [
  ['Subaru', 'Outback'],
  ['Ford', 'Explorer'],
  ['Toyota', 'RAV4'],
  ['Honda', 'Civic'],
  ['Volkswagen', 'Tiguan'],
];

/** Record i's full name: distinct for the first FIRST.length × LAST.length records. */
export function fullName(i: number): string {
  const pairs = FIRST.length * LAST.length;
  const j = (i * 2609) % pairs;
  return `${FIRST[j % FIRST.length]} ${LAST[Math.floor(j / FIRST.length)]}`;
}

export function benchRecords(n: number): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (let i = 0; i < n; i++) {
    const city = CITIES[i % CITIES.length]!;
    const make = MAKES[(i * 7) % MAKES.length]!;
    out.push({
      id: `C-${String(100000 + i)}`,
      name: fullName(i),
      street: `${1000 + ((i * 37) % 8999)} ${STREETS[(i * 7) % STREETS.length]}`,
      cityline: `${city[0]}, ${city[1]} ${city[2]}`,
      vehicle: `${2015 + (i % 11)} ${make[0]} ${make[1]}`,
      due: `Due by ${['January', 'March', 'May', 'July', 'September', 'November'][i % 6]} ${1 + (i % 28)}, 2027`,
      offer: `$${10 + (i % 5) * 5} off your next service`,
      dealer: DEALERS[i % DEALERS.length]!,
    });
  }
  return out;
}

// Field boxes shared by both templates (points, top-left origin).
const FIELDS: {
  key: 'name' | 'vehicle' | 'due' | 'offer' | 'street' | 'cityline';
  x: number;
  y: number;
  w: number;
  h: number;
  size: number;
  head?: boolean;
}[] = [
  { key: 'name', x: 36, y: 110, w: 300, h: 40, size: 28, head: true },
  { key: 'vehicle', x: 36, y: 160, w: 300, h: 20, size: 14 },
  { key: 'due', x: 36, y: 184, w: 300, h: 20, size: 14 },
  { key: 'offer', x: 36, y: 214, w: 300, h: 24, size: 18, head: true },
  { key: 'street', x: 380, y: 260, w: 240, h: 18, size: 12 },
  { key: 'cityline', x: 380, y: 278, w: 240, h: 18, size: 12 },
];

function pressworkTemplate(qr: boolean): { doc: TemplateDocument; assets: Map<string, Uint8Array> } {
  const files: [string, string, string][] = [
    ['font-head', FONT_HEAD, 'font/ttf'],
    ['font-body', FONT_BODY, 'font/ttf'],
    ['logo-ns', LOGOS[0]!, 'image/png'],
    ['logo-lk', LOGOS[1]!, 'image/png'],
    ['logo-mv', LOGOS[2]!, 'image/jpeg'],
  ];
  const assets = new Map<string, Uint8Array>();
  const assetList = files.map(([id, path, mediaType]) => {
    const bytes = new Uint8Array(readFileSync(path));
    const sha = sha256Hex(bytes);
    assets.set(sha, bytes);
    return { id, name: path.split('/').pop()!, mediaType, sha256: sha, bytes: bytes.length };
  });
  const text = (f: (typeof FIELDS)[number]) => ({
    id: `t-${f.key}`,
    type: 'text',
    x: f.x,
    y: f.y,
    width: f.w,
    height: f.h,
    style: { font: f.head ? 'head' : 'body', size: f.size, color: { swatch: f.head ? 'navy' : 'charcoal' } },
    paragraphs: [{ runs: [{ text: `{{ ${f.key} }}` }] }],
    leading: 1.15,
    fit: { mode: 'shrink', minSize: f.size * 0.6 },
  });
  const doc = TemplateDocumentSchema.parse({
    format: 'presswork-template',
    formatVersion: 1,
    id: 'bench-postcard',
    name: 'Benchmark postcard',
    brand: {
      name: 'Bench',
      fonts: [
        { id: 'head', family: 'Oswald', weight: 700, asset: 'font-head', licence: 'OFL' },
        { id: 'body', family: 'Source Sans 3', weight: 400, asset: 'font-body', licence: 'OFL' },
      ],
      swatches: [
        { id: 'navy', name: 'Navy', spot: { name: 'PANTONE 2758 C', lab: [22, 9, -50] }, cmyk: [100, 85, 5, 22], srgb: '#14358c' },
        { id: 'charcoal', name: 'Charcoal', cmyk: [0, 0, 0, 90], srgb: '#3b3b3c' },
        { id: 'pale', name: 'Pale', cmyk: [10, 0, 0, 0], srgb: '#e6f5fd' },
      ],
      logos: [
        { id: 'NS01', name: 'NS', asset: 'logo-ns' },
        { id: 'LK02', name: 'LK', asset: 'logo-lk' },
        { id: 'MV03', name: 'MV', asset: 'logo-mv' },
      ],
    },
    assets: assetList,
    data: { recordKey: 'id', fields: ['id', 'name', 'street', 'cityline', 'vehicle', 'due', 'offer', 'dealer'].map((name) => ({ name })) },
    print: {
      pages: [
        {
          id: 'p1',
          name: 'Card',
          width: W,
          height: H,
          elements: [
            { id: 'band', type: 'rect', x: 0, y: 0, width: W, height: 90, fill: { swatch: 'pale' } },
            {
              id: 'static-head',
              type: 'text',
              x: 36,
              y: 70,
              width: 400,
              height: 30,
              style: { font: 'head', size: 18, color: { swatch: 'navy' } },
              paragraphs: [{ runs: [{ text: 'Your service reminder' }] }],
            },
            { id: 'logo', type: 'image', x: 460, y: 20, width: 150, height: 50, source: '{{ dealer }}', fit: 'contain' },
            ...FIELDS.map(text),
            ...(qr
              ? [
                  {
                    id: 'qr',
                    type: 'barcode',
                    symbology: 'qr',
                    x: 36,
                    y: 300,
                    width: 90,
                    height: 90,
                    data: 'https://dealer.example/service?c={{ id }}',
                    color: { swatch: 'charcoal' },
                  },
                ]
              : []),
          ],
        },
      ],
    },
  });
  return { doc, assets };
}

const mm = (pt: number) => (pt * 25.4) / 72;

async function runPdfme(qr: boolean, n: number, out: string): Promise<{ pages: number; bytes: number }> {
  const { generate } = await import('@pdfme/generator');
  const { text, image, barcodes, rectangle } = await import('@pdfme/schemas');
  const dataUrl = (p: string) => `data:${p.endsWith('.png') ? 'image/png' : 'image/jpeg'};base64,${readFileSync(p).toString('base64')}`;
  const logos: Record<string, string> = Object.fromEntries(DEALERS.map((d, i) => [d, dataUrl(LOGOS[i]!)]));
  const schemas: Record<string, unknown>[] = [
    {
      name: 'band',
      type: 'rectangle',
      position: { x: 0, y: 0 },
      width: mm(W),
      height: mm(90),
      color: '#e6f5fd',
      borderWidth: 0,
      borderColor: '',
      readOnly: true,
    },
    {
      name: 'statichead',
      type: 'text',
      content: 'Your service reminder',
      readOnly: true,
      position: { x: mm(36), y: mm(70) },
      width: mm(400),
      height: mm(30),
      fontSize: 18,
      fontName: 'Oswald',
      fontColor: '#14358c',
    },
    { name: 'logo', type: 'image', position: { x: mm(460), y: mm(20) }, width: mm(150), height: mm(50) },
    ...FIELDS.map((f) => ({
      name: f.key,
      type: 'text',
      position: { x: mm(f.x), y: mm(f.y) },
      width: mm(f.w),
      height: mm(f.h),
      fontSize: f.size,
      fontName: f.head ? 'Oswald' : 'SourceSans',
      fontColor: f.head ? '#14358c' : '#3b3b3c',
      dynamicFontSize: { min: f.size * 0.6, max: f.size, fit: 'vertical' },
    })),
    ...(qr ? [{ name: 'qr', type: 'qrcode', position: { x: mm(36), y: mm(300) }, width: mm(90), height: mm(90) }] : []),
  ];
  const template = { basePdf: { width: mm(W), height: mm(H), padding: [0, 0, 0, 0] }, schemas: [schemas] };
  const inputs = benchRecords(n).map((r) => ({
    ...r,
    logo: logos[r.dealer ?? '']!,
    ...(qr ? { qr: `https://dealer.example/service?c=${r.id}` } : {}),
  }));
  const font = {
    Oswald: { data: readFileSync(FONT_HEAD), fallback: false },
    SourceSans: { data: readFileSync(FONT_BODY), fallback: true },
  };
  const pdf = await generate({
    template: template as never,
    inputs,
    options: { font } as never,
    plugins: { text, image, qrcode: barcodes.qrcode, rectangle } as never,
  });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(out, pdf);
  return { pages: n, bytes: pdf.length };
}

async function runPresswork(qr: boolean, n: number, out: string): Promise<{ pages: number; bytes: number }> {
  const { composePrintJob } = await import('../../server/print/compose-job');
  const { doc, assets } = pressworkTemplate(qr);
  const records: BatchRecord[] = benchRecords(n).map((record, i) => ({ row: i + 1, record }));
  const r = composePrintJob({ document: doc, assets }, records, { out, onError: 'fail', today: '2026-11-22' });
  if (!r.ok) throw new Error(`bench job failed: ${JSON.stringify(r.failure)}`);
  return { pages: r.pages, bytes: statSync(out).size };
}

/** Child mode: one measurement, printed as JSON. */
async function child(engine: string, qr: boolean, n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-'));
  const out = join(dir, 'out.pdf');
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = engine === 'presswork' ? await runPresswork(qr, n, out) : await runPdfme(qr, n, out);
  const s = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  const rss = process.resourceUsage().maxRSS * 1024;
  let qpdfClean: boolean | undefined;
  if (process.env.BENCH_CHECK !== '0' && engine === 'presswork') {
    try {
      execFileSync('qpdf', ['--check', out], { stdio: 'pipe' });
      qpdfClean = true;
    } catch {
      qpdfClean = false;
    }
  }
  if (process.env.BENCH_KEEP) copyFileSync(out, process.env.BENCH_KEEP);
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify({ pages: r.pages, seconds: s, cpuSeconds: cpu, bytes: r.bytes, rss, qpdfClean })}\n`);
}

interface Measure {
  pages: number;
  seconds: number;
  cpuSeconds: number;
  bytes: number;
  rss: number;
  qpdfClean?: boolean;
}

function measure(engine: string, qr: boolean, n: number): Measure {
  const outText = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', engine, qr ? 'qr' : 'noqr', String(n)],
    {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(outText.trim().split('\n').pop()!) as Measure;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(argv[1]!, argv[2] === 'qr', Number(argv[3]));
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const n = Number(process.env.BENCH_RECORDS ?? 5000);
  const cases = [
    { name: 'postcard-qr', qr: true, peerRecords: Number(process.env.BENCH_PDFME_RECORDS ?? 300), goalSpeed: 40 },
    { name: 'postcard-no-qr', qr: false, peerRecords: Number(process.env.BENCH_PDFME_RECORDS_NOQR ?? 500), goalSpeed: 10 },
  ];
  for (const c of cases) {
    const pw: Measure[] = [];
    const pm: Measure[] = [];
    for (let i = 0; i < runs; i++) {
      pw.push(measure('presswork', c.qr, n));
      pm.push(measure('pdfme', c.qr, c.peerRecords));
    }
    const rate = (m: Measure[]) => median(m.map((x) => x.pages / x.seconds));
    const cpuRate = (m: Measure[]) => median(m.map((x) => x.pages / x.cpuSeconds));
    const bpp = (m: Measure[]) => median(m.map((x) => x.bytes / x.pages));
    const rss = (m: Measure[]) => median(m.map((x) => x.rss));
    const speedRatio = rate(pw) / rate(pm);
    const sizeRatio = bpp(pw) / bpp(pm);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'print',
        case: c.name,
        runs,
        presswork: {
          records: n,
          pagesPerSec: Math.round(rate(pw)),
          pagesPerCpuSec: Math.round(cpuRate(pw)),
          bytesPerPage: Math.round(bpp(pw)),
          peakRssMB: Math.round(rss(pw) / 1e6),
          qpdfClean: pw.every((m) => m.qpdfClean !== false),
        },
        pdfme: {
          records: c.peerRecords,
          pagesPerSec: Math.round(rate(pm) * 10) / 10,
          pagesPerCpuSec: Math.round(cpuRate(pm) * 10) / 10,
          bytesPerPage: Math.round(bpp(pm)),
          peakRssMB: Math.round(rss(pm) / 1e6),
        },
        speedRatio: Math.round(speedRatio * 10) / 10,
        cpuSpeedRatio: Math.round((cpuRate(pw) / cpuRate(pm)) * 10) / 10,
        loadAverage: loadavg()[0],
        bytesRatio: Math.round(sizeRatio * 1000) / 1000,
        goals: { speed: `>= ${c.goalSpeed}x`, speedMet: speedRatio >= c.goalSpeed, bytes: '<= 0.25x', bytesMet: sizeRatio <= 0.25 },
      })}\n`,
    );
  }
}

await main();
