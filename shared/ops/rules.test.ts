import { describe, expect, it } from 'vitest';
import { assertTemplateDocument } from '../model/validate';
import type { TemplateDocument } from '../model/document';
import { addRule, evaluateRules, removeRule, renameRule, ruleUsages, updateRule, type OpResult } from './index';

const must = (r: OpResult): TemplateDocument => {
  if (!r.ok) throw new Error(r.error.message);
  return r.doc;
};
const env = { today: '2026-04-03' };

function doc(): TemplateDocument {
  return assertTemplateDocument({
    format: 'presswork-template',
    formatVersion: 1,
    id: 'rules-test',
    name: 'Rules test',
    brand: {
      name: 'B',
      fonts: [{ id: 'body', family: 'Test Sans', asset: 'font-body', licence: 'test' }],
      swatches: [{ id: 'navy', name: 'Navy', cmyk: [100, 85, 5, 22], srgb: '#14358c' }],
    },
    assets: [{ id: 'font-body', name: 'fonts/body.ttf', mediaType: 'font/ttf', sha256: 'a'.repeat(64), bytes: 3 }],
    data: {
      recordKey: 'kunden_nr',
      locale: 'de-DE',
      currency: 'EUR',
      fields: [
        { name: 'kunden_nr', type: 'text', required: true },
        { name: 'vorname', type: 'text' },
        { name: 'umsatz', type: 'money' },
        { name: 'notiz', type: 'text' },
      ],
    },
    rules: [{ name: 'greeting', expression: '{% if vorname != blank %}Hallo {{ vorname }}{% else %}Guten Tag{% endif %}' }],
    print: {
      pages: [
        {
          id: 'front',
          name: 'Front',
          width: 648,
          height: 432,
          elements: [
            {
              id: 't1',
              type: 'text',
              name: 'Headline',
              x: 0,
              y: 0,
              width: 200,
              height: 50,
              style: { font: 'body', size: 12, color: { swatch: 'navy' } },
              paragraphs: [{ runs: [{ text: '{{ rules.greeting }}!' }] }],
            },
          ],
        },
      ],
    },
    email: {
      subject: '{{ rules.greeting }}, your offer',
      from: { name: 'B', email: 'b@example.com' },
      recipientField: 'notiz',
      sections: [{ id: 's1', columns: [{ id: 'c1', blocks: [{ id: 'b1', type: 'spacer', height: 10 }] }] }],
    },
  });
}

const rec = (o: Record<string, string>) => ({ kunden_nr: '0042', vorname: '', umsatz: '', notiz: '', ...o });

describe('rule operations', () => {
  it('adds a rule, changes its type and expression, and evaluates it per record with the data locale', () => {
    let d = must(addRule(doc(), { rule: { name: 'big_customer', type: 'boolean', expression: '{% if umsatz > 1000 %}yes{% endif %}' } }));
    d = must(updateRule(d, { name: 'big_customer', patch: { description: 'over 1,000 €' } }));
    const a = evaluateRules(d, rec({ vorname: 'Jürgen', umsatz: '1.234,50' }), 1, env);
    expect(a).toEqual([
      { name: 'greeting', type: 'text', ok: true, value: 'Hallo Jürgen' },
      { name: 'big_customer', type: 'boolean', ok: true, value: 'true' },
    ]);
    const b = evaluateRules(d, rec({ vorname: '<script>{{ 7*7 }}', umsatz: '12,50' }), 2, env);
    // Record values are data, never Liquid.
    expect(b[0]).toMatchObject({ ok: true, value: 'Hallo <script>{{ 7*7 }}' });
    expect(b[1]).toMatchObject({ ok: true, value: 'false' });
    d = must(updateRule(d, { name: 'big_customer', patch: { type: 'number', expression: '{{ umsatz | times: 2 }}' } }));
    expect(evaluateRules(d, rec({ umsatz: '1.234,50' }), 1, env)[1]).toMatchObject({ ok: true, type: 'number', value: '2469' });
  });

  it('refuses a duplicate or invalid name and an unchanged update', () => {
    const r = addRule(doc(), { rule: { name: 'greeting' } });
    expect(r.ok || r.error.code).toBe('duplicate-id');
    const bad = addRule(doc(), { rule: { name: '1 rule' } });
    expect(bad.ok || bad.error.message).toContain('cannot be a rule name');
    const same = updateRule(doc(), { name: 'greeting', patch: { type: 'text' } });
    expect(same.ok || same.error.code).toBe('nothing-to-do');
  });

  it('says where a rule is used, refuses to remove it then, and renames every reference as one step', () => {
    const d = must(addRule(doc(), { rule: { name: 'shout', expression: '{{ rules.greeting | upcase }}' } }));
    expect(ruleUsages(d, 'greeting').map((u) => u.where)).toEqual(['rule shout', 'text frame "Headline" on page Front', 'email subject']);
    const refused = removeRule(d, { name: 'greeting' });
    expect(refused.ok || refused.error.message).toBe(
      'rules.greeting is used by rule shout; text frame "Headline" on page Front; email subject. Change those first.',
    );
    const renamed = must(renameRule(d, { from: 'greeting', to: 'anrede' }));
    expect(renamed.rules.map((r) => [r.name, r.expression])).toEqual([
      ['anrede', doc().rules[0]!.expression],
      ['shout', '{{ rules.anrede | upcase }}'],
    ]);
    expect(renamed.email!.subject).toBe('{{ rules.anrede }}, your offer');
    expect(ruleUsages(renamed, 'greeting')).toEqual([]);
    expect(evaluateRules(renamed, rec({ vorname: 'Aiko 愛子 😀' }), 1, env)[1]).toMatchObject({ ok: true, value: 'HALLO AIKO 愛子 😀' });
    expect(must(removeRule(renamed, { name: 'shout' })).rules.map((r) => r.name)).toEqual(['anrede']);
  });

  it('reports errors with their line and column and still evaluates the other rules', () => {
    let d = must(addRule(doc(), { rule: { name: 'broken', expression: 'Total:\n  {{ umsatz | money ' } }));
    d = must(addRule(d, { rule: { name: 'uses_broken', expression: 'x {{ rules.broken }}' } }));
    d = must(addRule(d, { rule: { name: 'typo', expression: 'Hi {{ vornam }}' } }));
    d = must(addRule(d, { rule: { name: 'nofilter', expression: '{{ vorname | shout }}' } }));
    d = must(addRule(d, { rule: { name: 'not_number', type: 'number', expression: '{{ vorname }}' } }));
    const out = evaluateRules(d, rec({ vorname: 'Ana' }), 1, env);
    const by = Object.fromEntries(out.map((o) => [o.name, o]));
    expect(by.greeting).toMatchObject({ ok: true, value: 'Hallo Ana' });
    expect(by.broken).toMatchObject({ ok: false, problem: { line: 2, col: 3 } });
    expect(by.broken!.ok || by.broken!.problem.message).toContain('not closed');
    expect(by.uses_broken).toMatchObject({ ok: false, problem: { message: 'reads rules.broken, which has an error', line: 1, col: 12 } });
    expect(by.typo).toMatchObject({ ok: false, problem: { line: 1, col: 7 } });
    expect(by.typo!.ok || by.typo!.problem.message).toContain('"vornam" is not a data field or rule');
    expect(by.nofilter).toMatchObject({ ok: false, problem: { message: expect.stringContaining('unknown filter "shout"'), line: 1 } });
    expect(by.not_number).toMatchObject({ ok: false, problem: { message: expect.stringContaining('plain number') } });
  });

  it('finds cycles and self references', () => {
    let d = must(addRule(doc(), { rule: { name: 'a', expression: '{{ rules.b }}' } }));
    d = must(addRule(d, { rule: { name: 'b', expression: '{{ rules.a }}' } }));
    d = must(addRule(d, { rule: { name: 'me', expression: '{{ rules.me }}' } }));
    const out = evaluateRules(d, rec({}), 1, env);
    expect(out[0]).toMatchObject({ ok: true, value: 'Guten Tag' });
    expect(out[1]).toMatchObject({ ok: false, problem: { message: expect.stringContaining('cycle') } });
    expect(out[3]).toMatchObject({ ok: false, problem: { message: 'a rule cannot read itself (rules.me)', line: 1, col: 10 } });
  });
});
