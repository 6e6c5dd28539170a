import { describe, expect, it } from 'vitest';
import { sampleDocument } from '../../tests/email/sample';
import { BooleanRuleValue, compileRules, RulesError, ruleOrder } from './engine';
import { createSafeLiquid } from './liquid';
import { fastRenderer } from './fast';
import { analyzeLiquid } from './analyze';
import { checkReferences } from '../model/validate';

const doc = sampleDocument();
const rules = compileRules(doc, { today: '2026-11-22' });
const base = {
  customer_id: 'C-1',
  first_name: 'Maria',
  last_service_date: '2026-05-14',
  offer_eligible: true,
  offer_amount: 25,
  dealer_id: 'NS01',
  vehicle_make: 'Subaru',
};
const bind = (over: Record<string, unknown>) => {
  const r = rules.bind({ ...base, ...over }, 1);
  if (!r.ok) throw new Error(r.reason);
  return r.bound;
};

describe('rules of the sample campaign', () => {
  it.each([
    ['greeting with a name', { first_name: '  Maria ' }, 'greeting', 'Hi Maria'],
    ['greeting falls back when empty', { first_name: '' }, 'greeting', 'Hello'],
    ['greeting falls back when blank', { first_name: '   ' }, 'greeting', 'Hello'],
    ['greeting falls back when missing', { first_name: undefined }, 'greeting', 'Hello'],
    ['due date across a month end', { last_service_date: '2026-08-31' }, 'due_date', 'February 28, 2027'],
    ['due date into a leap February', { last_service_date: '2027-08-31' }, 'due_date', 'February 29, 2028'],
    ['due date from typed text', { last_service_date: '8/31/2026' }, 'due_date', 'February 28, 2027'],
    ['offer in en-US money', { offer_amount: 1234.5 }, 'offer', '$1,234.50 off your next service'],
    ['no offer when not eligible', { offer_eligible: false }, 'offer', ''],
    ['no offer when "false" text', { offer_eligible: 'false' }, 'has_offer', false],
    ['an offer when eligible', {}, 'has_offer', true],
  ])('%s', (_name, over, rule, expected) => {
    const v = bind(over).rules[rule];
    expect(v instanceof BooleanRuleValue ? v.valueOf() : v).toBe(expected);
  });

  it('formats money in de-DE', () => {
    expect(bind({}).text("{{ 1234.5 | money: 'EUR', 'de-DE' }}")).toBe('1.234,50\u00a0€');
    const de = compileRules({ ...doc, data: { ...doc.data, locale: 'de-DE', currency: 'EUR' } }, { today: '2026-11-22' });
    const r = de.bind({ ...base, offer_amount: '1.234,50' }, 1);
    expect(r.ok && r.bound.rules.offer).toBe('1.234,50\u00a0€ off your next service');
  });

  it('uses the documented fallback dealer for an unknown key (ZZ99)', () => {
    const b = bind({ dealer_id: 'ZZ99' });
    expect(b.variant).toMatchObject({ key: 'ZZ99', label: 'Network default', matched: false });
    expect(b.text('{{ dealer.name }} {{ dealer.phone }} {{ dealer.key }}')).toBe('Presswork Auto Network 1-800-555-0199 ZZ99');
  });

  it('skips or fails an unknown key when the template says so', () => {
    const strict = compileRules({ ...doc, variants: { ...doc.variants!, onUnknownKey: 'skip' } }, { today: '2026-11-22' });
    expect(strict.bind({ ...base, dealer_id: 'ZZ99' }, 3)).toMatchObject({
      ok: false,
      skip: true,
      reason: expect.stringContaining('"ZZ99" matches no dealer'),
    });
  });

  it('exposes variant values, swatch overrides and built-ins', () => {
    const b = rules.bind({ ...base, dealer_id: 'LK02' }, 7, { builtins: { unsubscribe_url: 'https://u.example/x' } });
    expect(b.ok && b.bound.variant?.swatches).toEqual({ 'brand-red': 'dealer-green' });
    expect(b.ok && b.bound.text('{{ dealer.phone | phone: "e164" }} {{ record_number }} {{ today }} {{ unsubscribe_url }}')).toBe(
      '+17735550187 7 2026-11-22 https://u.example/x',
    );
  });

  it('never parses data as Liquid and never reaches the prototype', () => {
    const b = bind({ first_name: '{{ 7*7 }}{% raw %}', vehicle_make: { toString: 1 } });
    expect(b.rules.greeting).toBe('Hi {{ 7*7 }}{% raw %}');
    expect(b.text('[{{ first_name.constructor }}{{ rules.constructor.name }}{{ dealer.__proto__ }}]')).toBe('[]');
  });

  it('evaluates rules in dependency order, not declaration order, and reports cycles', () => {
    const reordered = { ...doc, rules: [...doc.rules].reverse() };
    expect(ruleOrder(reordered).indexOf('first_name_clean')).toBeLessThan(ruleOrder(reordered).indexOf('greeting'));
    const r = compileRules(reordered, { today: '2026-11-22' }).bind(base, 1);
    expect(r.ok && r.bound.rules.greeting).toBe('Hi Maria');
    const cyclic = {
      ...doc,
      rules: [
        { name: 'a', expression: '{{ rules.b }}', type: 'text' as const },
        { name: 'b', expression: '{{ rules.a }}', type: 'text' as const },
      ],
    };
    expect(() => compileRules(cyclic, { today: '2026-11-22' })).toThrow(RulesError);
    expect(() => compileRules(cyclic, { today: '2026-11-22' })).toThrow(/cycle: a → b → a/);
  });

  it('rejects unknown filters, and validation reports them with their path', () => {
    expect(analyzeLiquid('{{ x | shout }}')).toMatchObject({ ok: false, code: 'unknown-filter', filter: 'shout' });
    const bad = { ...doc, rules: [...doc.rules, { name: 'loud', expression: '{{ first_name | shout }}', type: 'text' as const }] };
    expect(checkReferences(bad)).toContainEqual(expect.objectContaining({ path: 'rules[5].expression', code: 'unknown-filter' }));
    expect(() => compileRules(bad, { today: '2026-11-22' })).toThrow(/undefined filter: shout/);
  });

  it('cannot include files or loop without limit', () => {
    expect(() => bind({}).text("{% include '/etc/passwd' %}")).toThrow(RulesError);
    expect(() => bind({}).text('{% for i in (1..100000000) %}{{ i }}{% endfor %}')).toThrow(/memory alloc|limit/i);
  });
});

describe('filters', () => {
  const t = (src: string, scope: Record<string, unknown> = {}) => bind(scope).text(src);
  it.each([
    ["{{ '2026-01-31' | date_add: 1, 'month' }}", '2026-02-28'],
    ["{{ '2024-02-29' | date_add: 1, 'year' }}", '2025-02-28'],
    ["{{ '2026-12-30' | date_add: 5, 'days' | date: '%a %-d %b %Y' }}", 'Mon 4 Jan 2027'],
    ["{{ 'today' | date: '%B %-d, %Y' }}", 'November 22, 2026'],
    ["{{ '2026-12-25' | days_until }}", '33'],
    ['{{ 1234.5 | number: 2 }}', '1,234.50'],
    ["{{ '6145550142' | phone }}", '(614) 555-0142'],
    ["{{ '+1 614 555 0142' | phone: 'dots' }}", '614.555.0142'],
    ["{{ 'mARIA  garcía-lópez o\\'brien' | title_case }}", "Maria García-López O'Brien"],
    ["{{ '   ' | fallback: 'there' }}", 'there'],
    ["{{ 'A long sentence here' | truncate: 10 }}", 'A long ...'],
  ])('%s → %s', (src, expected) => expect(t(src)).toBe(expected));
});

describe('fast renderer', () => {
  it('renders exactly what liquidjs renders', () => {
    const sources = [
      ...doc.rules.map((r) => r.expression),
      '{% if a and b or c %}1{% elsif d contains "x" %}2{% else %}3{% endif %}',
      '{% unless a %}u{% endunless %}{% if e == empty %}E{% endif %}{% if n > 2 and n <= 3 %}N{% endif %}',
      '{% if not a %}n{% endif %}{{ list.size }}{{ list.first }}{{ list.last }}{{ list[1] }}{{ s.size }}',
      '{% assign x = s | upcase %}{{ x }}{% for i in list %}[{{ i }}]{% endfor %}{% capture c %}{{ s }}!{% endcapture %}{{ c }}',
      '{{ missing.deep.path | default: "d" }}{{ s | append: "&" | escape }}{{ n | plus: 1 }}{% case s %}{% when "hey" %}H{% endcase %}',
    ];
    const scopes = [
      {
        a: true,
        b: false,
        c: true,
        d: 'xyz',
        e: '',
        n: 3,
        list: [1, 2, 3],
        s: 'hey',
        first_name: ' Bo ',
        last_service_date: '2026-01-31',
        offer_eligible: true,
        offer_amount: 5,
        rules: { first_name_clean: 'Bo', has_offer: 'yes' },
      },
      { a: false, b: true, c: false, d: 'abc', e: [], n: 1, list: [], s: '', rules: {} },
      {},
    ];
    for (const html of [false, true]) {
      const liquid = createSafeLiquid({ today: '2026-11-22', locale: 'en-US', currency: 'USD', html });
      for (const src of sources) {
        const tpl = liquid.parse(src);
        const fast = fastRenderer(liquid, tpl);
        for (const scope of scopes) expect(fast(scope), src).toBe(liquid.renderSync(tpl, scope));
      }
    }
  });
});
