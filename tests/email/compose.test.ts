import { describe, expect, it } from 'vitest';
import { sampleDocument } from './sample';
import { compileRules } from '../../shared/rules/engine';
import { prepareEmail, type PreparedEmail } from '../../shared/compose/email/compose';
import { buildMjml, restoreLiquid } from '../../shared/compose/email/build';
import { makePalette } from '../../shared/compose/email/palette';
import { compileMjml } from '../../server/email/mjml';

const doc = sampleDocument();
const assetUrl = (id: string) => `https://cdn.example/${id}`;
const prepare = (minify = false): Promise<PreparedEmail> =>
  prepareEmail(doc, compileRules(doc, { today: '2026-11-22' }), { compileMjml: (m) => compileMjml(m, { minify }), assetUrl });
const base = {
  customer_id: 'C-1',
  first_name: 'Maria',
  email: 'maria@example.com',
  last_service_date: '2026-08-31',
  offer_eligible: true,
  offer_amount: 25,
  dealer_id: 'NS01',
  vehicle_make: 'Subaru',
  vehicle_year: 2019,
  vehicle_model: 'Outback',
};
const HOSTILE = `<script>alert(1)</script> {{ 7*7 }} {% raw %} "quoted" & 'single'`;

describe('email composition with real MJML', () => {
  it('keeps every Liquid marker through MJML, its minifier and its CSS inliner', async () => {
    for (const minify of [false, true]) {
      const built = buildMjml(doc, makePalette(doc.brand), { assetUrl });
      const { html } = await compileMjml(built.mjml, { minify });
      const restored = restoreLiquid(html, built.tokens);
      for (const t of built.tokens) expect(restored).toContain(t);
      expect(restored).toContain("{{ last_service_date | date: '%B %-d, %Y' }}");
      expect(restored).toContain("{% if rules.has_offer == 'yes' %}");
    }
    expect(() => restoreLiquid('<p>nothing left</p>', ['{{ x }}'])).toThrow(/did not keep the Liquid markers/);
  });

  it('shows hostile data as literal, escaped text in the HTML and as plain text in the text part', async () => {
    const p = await prepare(true);
    const r = p.compose({ ...base, first_name: HOSTILE, vehicle_make: '</td></tr></table><img src=x onerror=alert(1)>' }, 1);
    if (!r.ok) throw new Error(r.reason);
    const { html, text, subject } = r.email;
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain(
      'Hi &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% raw %} &#34;quoted&#34; &amp; &#39;single&#39;, your &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;img src=x onerror=alert(1)&gt; is due',
    );
    expect(html).not.toContain('49');
    expect(text).toContain(`Hi ${HOSTILE}, your </td>`);
    expect(subject).toBe(`Hi ${HOSTILE}, your </td></tr></table><img src=x onerror=alert(1)> is due for service`);
  });

  it('renders subject, preheader, sender, the offer section only when eligible, and brand colours per dealer', async () => {
    const p = await prepare();
    const ns = p.compose(base, 1, { builtins: { unsubscribe_url: 'https://u.example/C-1' } });
    const lk = p.compose({ ...base, dealer_id: 'LK02', offer_eligible: false }, 2);
    if (!ns.ok || !lk.ok) throw new Error('compose failed');
    expect(ns.email).toMatchObject({
      subject: 'Hi Maria, your Subaru is due for service',
      preheader: 'Book by February 28, 2027 at Northside Motors.',
      from: { name: 'Northside Motors Service', email: 'service@northside-motors.example' },
      to: 'maria@example.com',
      unsubscribeUrl: 'https://u.example/C-1',
    });
    expect(ns.email.html).toContain('$25.00 off your next service');
    expect(lk.email.html).not.toContain('off your next service');
    expect(lk.email.text).not.toContain('off your next service');
    // Service Red for Northside, Lakeview's override to its green; navy from the swatch's sRGB value.
    const srgb = (id: string) => doc.brand.swatches.find((s) => s.id === id)!.srgb;
    expect(ns.email.html).toContain(`background:${srgb('brand-red')}`);
    expect(lk.email.html).not.toContain(srgb('brand-red'));
    expect(lk.email.html).toContain(`background:${srgb('dealer-green')}`);
    expect(ns.email.html).toContain(`background-color:${srgb('brand-navy')}`);
    // Charcoal at a 10% tint, mixed with white (255 - (255 - v) × 0.1 per channel).
    const tint10 = `#${[1, 3, 5]
      .map((i) =>
        Math.round(255 - (255 - parseInt(srgb('charcoal').slice(i, i + 2), 16)) * 0.1)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')}`;
    expect(ns.email.html).toContain(`background-color:${tint10}`);
  });

  it('offers brand fonts through @font-face with the fallback stacks, and resolves logos to asset URLs', async () => {
    const p = await prepare();
    const r = p.compose(base, 1);
    if (!r.ok) throw new Error(r.reason);
    expect(r.email.html).toMatch(
      /@font-face \{ font-family: 'Oswald'; font-style: normal; font-weight: 700; src: url\('https:\/\/cdn\.example\/font-oswald-700'\) format\('truetype'\); \}/,
    );
    expect(r.email.html).toContain("font-family:'Oswald', 'Arial Narrow', Arial, sans-serif");
    expect(r.email.html).toContain('src="https://cdn.example/logo-northside-png"');
  });

  it("passes every link through the caller's rewriter with its id and kind, in HTML and text", async () => {
    const p = await prepare();
    const r = p.compose(base, 1, {
      builtins: { unsubscribe_url: 'https://u.example/C-1?a=1&b=2' },
      rewriteLink: (url, l) => (l.kind === 'unsubscribe' ? url : `https://t.example/${l.id}?u=${encodeURIComponent(url)}`),
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.email.links.map((l) => `${l.id}:${l.kind}`)).toEqual([
      'em-logo:link',
      'em-button:link',
      'em-dealer.1:link',
      'em-social.1:link',
      'em-social.2:link',
      'em-legal.1:unsubscribe',
    ]);
    expect(r.email.html).toContain('href="https://t.example/em-button?u=https%3A%2F%2Fnorthside-motors.example%2Fservice%3Fc%3DC-1"');
    expect(r.email.html).toContain('href="https://u.example/C-1?a=1&amp;b=2"');
    expect(r.email.text).toContain('Book my service: https://t.example/em-button?u=');
    expect(r.email.text).toContain('Unsubscribe <https://u.example/C-1?a=1&b=2>');
  });

  it('derives the plain-text part from the same blocks', async () => {
    const p = await prepare();
    const r = p.compose(base, 1);
    if (!r.ok) throw new Error(r.reason);
    expect(r.email.text).toBe(
      [
        'Northside Motors <https://northside-motors.example>',
        'Hi Maria, your Subaru is due for service',
        'Our records show your 2019 Subaru Outback was last serviced on August 31, 2026. It is due again by February 28, 2027.',
        '$25.00 off your next service',
        'Book my service: https://northside-motors.example/service?c=C-1',
        '----------------------------------------',
        'Northside Motors\n\n2100 Morse Road, Columbus, OH 43229 · (614) 555-0142 <tel:(614) 555-0142>',
        'Facebook: https://www.facebook.com/presswork.auto\nWebsite: https://northside-motors.example',
        'You receive this email because you serviced your vehicle with Northside Motors. Unsubscribe <>',
      ].join('\n\n') + '\n',
    );
  });
});
