import { describe, expect, it } from 'vitest';
import { SAMPLE_CSV, sampleDocument } from './sample';
import { compileRules } from '../../shared/rules/engine';
import { prepareEmail, tidyText, type ComposeOptions, type PreparedEmail } from '../../shared/compose/email/compose';
import { readDataFile } from '../../server/data/read';
import { compileMjml } from '../../server/email/mjml';

/**
 * The compiled message programs (literals + value slots shared by HTML, text part and headers) against
 * liquidjs rendering the same compiled HTML and text templates: byte for byte, for the sample campaign's
 * 200 records, hostile values and every dealer, with and without a link rewriter.
 */

const doc = sampleDocument();
const assetUrl = (id: string) => `https://cdn.example/${id}`;
const prepare = (renderer: 'compiled' | 'liquidjs', minify: boolean): Promise<PreparedEmail> =>
  prepareEmail(doc, compileRules(doc, { today: '2026-11-22' }), {
    compileMjml: (m) => compileMjml(m, { minify }),
    assetUrl,
    renderer,
  });

const HOSTILE = [
  '<script>alert(1)</script>',
  '{{ 7*7 }}',
  '{% raw %}',
  `"quoted" & 'single'`,
  '&amp; &#34; &lt;',
  'amp;',
  ' padded \r\n\t name ',
  '',
];

/** A stateful rewriter: the n-th call's URL carries n, so the call order must match too. */
function counting(): ComposeOptions['rewriteLink'] {
  let n = 0;
  return (url, link) => `https://t.example/${++n}/${link.id}/${link.kind}?u=${encodeURIComponent(url)}&x="<'>`;
}

async function sampleRecords(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const row of readDataFile(SAMPLE_CSV, doc.data)) out.push(row.values as Record<string, unknown>);
  return out;
}

describe('compiled email programs', () => {
  it('give exactly the liquidjs output for the 200 sample records, hostile values and every dealer', async () => {
    const records = await sampleRecords();
    expect(records).toHaveLength(200);
    const dealers = ['NS01', 'LK02', 'MV03', 'ZZ99', ''];
    const hostile = HOSTILE.flatMap((h, i) => [
      { ...records[i]!, first_name: h, dealer_id: dealers[i % dealers.length] },
      { ...records[i + 1]!, vehicle_make: h, last_name: h, customer_id: h, offer_eligible: true, offer_amount: 10 },
      { ...records[i + 2]!, last_service_date: h, offer_amount: h, email: h },
    ]);
    for (const minify of [false, true]) {
      const [fast, slow] = await Promise.all([prepare('compiled', minify), prepare('liquidjs', minify)]);
      expect(fast.htmlSources).toEqual(slow.htmlSources);
      let compared = 0;
      for (const [i, record] of [...records, ...hostile].entries()) {
        for (const rewrite of [false, true]) {
          const options = (): ComposeOptions => ({
            builtins: { unsubscribe_url: `https://u.example/${i}?a=1&b="2"`, view_online_url: `https://v.example/${i}` },
            rewriteLink: rewrite ? counting() : undefined,
          });
          const a = fast.compose(record, i + 1, options());
          const b = slow.compose(record, i + 1, options());
          expect(a.ok, `record ${i}`).toBe(b.ok);
          if (!a.ok || !b.ok) continue;
          // Field by field first (readable failures), then the whole message.
          expect(a.email.html, `record ${i} html`).toBe(b.email.html);
          expect(a.email.text, `record ${i} text`).toBe(b.email.text);
          expect(a.email).toEqual(b.email);
          compared++;
        }
      }
      expect(compared).toBeGreaterThanOrEqual(2 * 200);
    }
  }, 120_000);

  it('escape what the record says in the HTML part only', async () => {
    const p = await prepare('compiled', true);
    const r = p.compose({ ...(await sampleRecords())[0]!, first_name: '<b>{{ 7*7 }}</b> & "x"' }, 1, {
      builtins: { unsubscribe_url: 'https://u.example/?a=1&b=<2>' },
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.email.html).toContain('Hi &lt;b&gt;{{ 7*7 }}&lt;/b&gt; &amp; &#34;x&#34;');
    expect(r.email.html).toContain('href="https://u.example/?a=1&amp;b=&lt;2&gt;"');
    expect(r.email.text).toContain('Hi <b>{{ 7*7 }}</b> & "x"');
    expect(r.email.text).toContain('<https://u.example/?a=1&b=<2>>');
    expect(r.email.subject).toContain('Hi <b>{{ 7*7 }}</b> & "x", your');
  });
});

describe('tidyText', () => {
  const reference = (s: string) =>
    s
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
      .concat('\n');
  it('lays out the text part exactly as the two regular expressions and trim did', () => {
    const alphabet = ['\n', '\n', '\n', ' ', ' ', '\t', 'a', 'b', '\u00a0', '\r', '·'];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 5000; n++) {
      let s = '';
      const len = next() % 40;
      for (let i = 0; i < len; i++) s += alphabet[next() % alphabet.length];
      expect(tidyText(s), JSON.stringify(s)).toBe(reference(s));
    }
  });
});
