/**
 * Email composition benchmark: `npx tsx tests/bench/email.bench.ts [count]` (also `npm run bench`).
 * Prints JSON lines. Medians of several runs; wall time, and process CPU time beside it (on a shared,
 * loaded machine the CPU figure is the steadier one; it includes GC threads, so it is conservative).
 *
 * - email.compose.presswork: per recipient, exactly what `presswork compose email` (server/email/job.ts)
 *   and the delivery workers (server/delivery/composers.ts) call: `prepared.compose(record, row, { builtins })`
 *   — bind the record (typing, variant, rules), then HTML + plain text + subject, preheader and sender
 *   from the compiled message programs. Not sent.
 * - email.compose.eml: the same plus the .eml bytes the CLI writes (server/email/eml.ts toEml →
 *   shared/compose/email/mime.ts: headers, quoted-printable bodies), without the file write.
 * - email.compose.naive, the peer in the same run: Liquid over the MJML, then MJML compile, per recipient
 *   on a sample of 500, extrapolated.
 */
import { sampleDocument } from '../email/sample';
import { compileRules } from '../../shared/rules/engine';
import { prepareEmail } from '../../shared/compose/email/compose';
import { createSafeLiquid } from '../../shared/rules/liquid';
import { compileMjml } from '../../server/email/mjml';
import { toEml } from '../../server/email/eml';
import { DEFAULT_BASE_URL, placeholderUrls } from '../../server/email/job';

const COUNT = Number(process.argv[2] ?? 100_000);
const NAIVE_SAMPLE = 500;
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

const doc = sampleDocument();
const assetUrl = (id: string) => `https://cdn.example/assets/${id}`;
const dealers = ['NS01', 'LK02', 'MV03', 'ZZ99'];
const names = ['Maria', 'José', '', 'Anne-Marie', '<script>x</script>', 'Bo'];
const records = Array.from({ length: 1000 }, (_, i) => ({
  customer_id: `C-${100000 + i}`,
  first_name: names[i % names.length],
  last_name: 'García',
  email: `c${i}@example.com`,
  vehicle_year: 2015 + (i % 10),
  vehicle_make: 'Subaru',
  vehicle_model: 'Outback',
  last_service_date: `2026-0${1 + (i % 9)}-${10 + (i % 19)}`,
  dealer_id: dealers[i % dealers.length],
  offer_eligible: i % 3 !== 0,
  offer_amount: (i % 5) * 10,
}));

const rules = compileRules(doc, { today: '2026-11-22' });
const tPrep = performance.now();
const prepared = await prepareEmail(doc, rules, { compileMjml: (m) => compileMjml(m), assetUrl });
out({ bench: 'email.precompile', ms: +(performance.now() - tPrep).toFixed(1), palettes: prepared.htmlSources.size });

/** Run `body(i)` for i in [0, count) `runs` times; medians of wall and CPU time. */
function measure(count: number, runs: number, body: (i: number) => void) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < count; i++) body(i);
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  const medianMs = median(wall);
  const cpuMs = median(cpu);
  return {
    messages: count,
    runs,
    medianMs: +medianMs.toFixed(1),
    messagesPerSecond: Math.round((count / medianMs) * 1000),
    medianCpuMs: +cpuMs.toFixed(1),
    cpuMessagesPerSecond: Math.round((count / cpuMs) * 1000),
  };
}

// Per recipient, as the CLI does it: placeholder unsubscribe/view-online URLs from the record key.
const builtinsFor = (i: number) => placeholderUrls(DEFAULT_BASE_URL, `C-${100000 + (i % records.length)}`);
let bytes = 0;
const presswork = measure(COUNT, RUNS, (i) => {
  const r = prepared.compose(records[i % records.length]!, i + 1, { builtins: builtinsFor(i) });
  if (!r.ok) throw new Error(r.reason);
  if (i === 0) bytes = r.email.html.length + r.email.text.length;
});
out({ bench: 'email.compose.presswork', ...presswork, bytesPerMessage: bytes });
const perSec = presswork.messagesPerSecond;

// The same plus the .eml bytes (fewer messages: the encoding is per byte, ~20 KB a message).
const EML_COUNT = Math.max(1000, Math.round(COUNT / 5));
const runDate = new Date(Date.UTC(2026, 10, 22, 9));
let emlBytes = 0;
const eml = measure(EML_COUNT, 3, (i) => {
  const r = prepared.compose(records[i % records.length]!, i + 1, { builtins: builtinsFor(i) });
  if (!r.ok) throw new Error(r.reason);
  const raw = toEml(r.email, {
    messageId: `<C-${i}.bench.${runDate.getTime()}@presswork.invalid>`,
    date: runDate,
    headers: { 'X-Presswork-Record': `C-${i}`, 'X-Presswork-Template': doc.id },
  });
  if (i === 0) emlBytes = raw.length;
});
out({ bench: 'email.compose.eml', ...eml, emlBytesPerMessage: emlBytes });

// Naive: Liquid over the MJML source (values escaped), then MJML compile, per recipient.
const mjml = prepared.mjmlSources.values().next().value as string;
// The MJML holds opaque tokens for Liquid; put the Liquid back for the naive path, as a designer would write it.
const { buildMjml } = await import('../../shared/compose/email/build');
const { makePalette } = await import('../../shared/compose/email/palette');
const built = buildMjml(doc, makePalette(doc.brand), { assetUrl });
const naiveSource = built.mjml.replace(/PWLQ(\d{5})Q/g, (_m, n: string) =>
  built.tokens[Number(n)]!.replace(/\{% pw\w+ [^%]*%\}|\{% endpw\w+ %\}|\{% pwasset %\}/g, ''),
);
void mjml;
const liquid = createSafeLiquid({ today: '2026-11-22', locale: doc.data.locale, currency: doc.data.currency, html: true });
const naiveTpl = liquid.parse(naiveSource);
const naiveRuns: number[] = [];
const naiveCpu: number[] = [];
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < NAIVE_SAMPLE; i++) {
    const b = rules.bind(records[i % records.length]!, i + 1, { builtins: builtinsFor(i) });
    if (!b.ok) throw new Error(b.reason);
    const personalised = liquid.renderSync(naiveTpl, b.bound.scope as Record<string, unknown>) as string;
    await compileMjml(personalised);
  }
  const c = process.cpuUsage(c0);
  naiveRuns.push(performance.now() - t0);
  naiveCpu.push((c.user + c.system) / 1000);
}
const naiveMs = median(naiveRuns);
const naivePerSec = (NAIVE_SAMPLE / naiveMs) * 1000;
const naiveCpuPerSec = (NAIVE_SAMPLE / median(naiveCpu)) * 1000;
out({
  bench: 'email.compose.naive',
  messages: NAIVE_SAMPLE,
  runs: 3,
  medianMs: +naiveMs.toFixed(1),
  messagesPerSecond: Math.round(naivePerSec),
  medianCpuMs: +median(naiveCpu).toFixed(1),
  cpuMessagesPerSecond: Math.round(naiveCpuPerSec),
  extrapolatedMsFor: COUNT,
  extrapolatedMs: Math.round((naiveMs / NAIVE_SAMPLE) * COUNT),
});
out({
  bench: 'email.compose.ratio',
  presswork_vs_naive: +(perSec / naivePerSec).toFixed(1),
  presswork_vs_naive_cpu: +(presswork.cpuMessagesPerSecond / naiveCpuPerSec).toFixed(1),
  presswork_eml_vs_naive: +(eml.messagesPerSecond / naivePerSec).toFixed(1),
  presswork_eml_vs_naive_cpu: +(eml.cpuMessagesPerSecond / naiveCpuPerSec).toFixed(1),
  goalMessagesPerSecond: 20000,
  goalRatio: 100,
});

// Data: stream a generated 1,000,000-row CSV through the typed reader; report rows/s and peak heap.
if (!process.argv.includes('--no-data')) {
  const { readRecords } = await import('../../shared/data/records');
  const ROWS = 1_000_000;
  const header =
    'customer_id,first_name,last_name,email,address1,city,state,postal_code,vehicle_make,last_service_date,dealer_id,offer_eligible,offer_amount\n';
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const enc = new TextEncoder();
    yield enc.encode(header);
    let buf = '';
    for (let i = 0; i < ROWS; i++) {
      buf += `C-${i},"Name ${i}",García,c${i}@example.com,"1 Main St, Apt ${i % 9}",Columbus,OH,43215,Subaru,2026-05-14,NS01,${i % 2 ? 'true' : 'false'},"1,234.50"\n`;
      if (buf.length > 60_000) {
        yield enc.encode(buf);
        buf = '';
      }
    }
    yield enc.encode(buf);
  }
  let peak = 0;
  let rows = 0;
  let bad = 0;
  const t0 = performance.now();
  for await (const r of readRecords(chunks(), { name: 'big.csv', schema: doc.data })) {
    rows++;
    if (!r.ok) bad++;
    if (rows % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const ms = performance.now() - t0;
  out({
    bench: 'data.csv.stream',
    rows,
    rowsWithErrors: bad,
    ms: Math.round(ms),
    rowsPerSecond: Math.round((rows / ms) * 1000),
    peakHeapMB: Math.round(peak / 1e6),
    note: 'duplicate-key set included',
  });
}
