import { describe, expect, it } from 'vitest';
import { assertTemplateDocument, checkReferences } from '../model/validate';
import type { TemplateDocument } from '../model/document';
import {
  addField,
  addFields,
  fieldNameFor,
  fieldUsages,
  guessColumnType,
  guessFieldsForColumns,
  fieldsFromGuesses,
  moveField,
  removeField,
  renameField,
  renameVariable,
  setDataFormat,
  setRecordKey,
  updateField,
  type OpResult,
} from './index';

const must = (r: OpResult): TemplateDocument => {
  if (!r.ok) throw new Error(r.error.message);
  return r.doc;
};

/** A template that uses the field `first` in every kind of reference a document has. */
function docUsingEverywhere(): TemplateDocument {
  const run = (text: string) => ({ runs: [{ text }] });
  return assertTemplateDocument({
    format: 'presswork-template',
    formatVersion: 1,
    id: 'rename-test',
    name: 'Rename test',
    brand: {
      name: 'B',
      fonts: [{ id: 'body', family: 'Test Sans', asset: 'font-body', licence: 'test' }],
      swatches: [{ id: 'navy', name: 'Navy', cmyk: [100, 85, 5, 22], srgb: '#14358c' }],
    },
    assets: [{ id: 'font-body', name: 'fonts/body.ttf', mediaType: 'font/ttf', sha256: 'a'.repeat(64), bytes: 3 }],
    data: {
      recordKey: 'first',
      fields: [
        { name: 'first', type: 'text', required: true, sample: 'Ana' },
        { name: 'first_name_x', type: 'text' },
        { name: 'mail', type: 'email' },
        { name: 'photo', type: 'image' },
      ],
    },
    rules: [
      { name: 'greeting', expression: "{% if first != blank %}Hi {{ first | upcase }}{% else %}Hello 'first'{% endif %}" },
      { name: 'loop', expression: '{% for x in first %}{{ x.first }}{% endfor %}{% assign y = first %}{{ y }}' },
    ],
    variants: {
      keyField: 'first',
      alias: 'dealer',
      fields: [{ name: 'first', type: 'text' }],
      items: [{ key: 'A', label: 'A', values: { first: 'dealer value' } }],
    },
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
              name: 'Greeting',
              x: 0,
              y: 0,
              width: 200,
              height: 50,
              visibleIf: 'first != blank',
              style: { font: 'body', size: 12, color: { swatch: 'navy' } },
              paragraphs: [
                { ...run('Dear {{first}}, {{ first_name_x }} {{ dealer.first }} {{ rules.greeting }}'), visibleIf: "first == 'x'" },
                run('{{ "first" }} first {{first}}\n{{ first }}'),
              ],
            },
            { id: 'i1', type: 'image', x: 0, y: 60, width: 50, height: 50, source: '{{ first | default: photo }}' },
            {
              id: 'q1',
              type: 'barcode',
              symbology: 'qr',
              x: 0,
              y: 120,
              width: 50,
              height: 50,
              color: { swatch: 'navy' },
              data: 'https://x.example/{{ first }}',
            },
            {
              id: 'g',
              type: 'group',
              x: 100,
              y: 100,
              width: 100,
              height: 100,
              visibleIf: 'first',
              children: [{ id: 'g1', type: 'rect', x: 0, y: 0, width: 10, height: 10, fill: { swatch: 'navy' }, visibleIf: 'first' }],
            },
          ],
        },
      ],
    },
    email: {
      subject: 'Hi {{ first }}',
      preheader: 'For {{first}}',
      from: { name: '{{ first }} at Dealer', email: 'service+{{ first }}@example.com' },
      recipientField: 'first',
      sections: [
        {
          id: 's1',
          visibleIf: 'first',
          columns: [
            {
              id: 'c1',
              blocks: [
                {
                  id: 'tb',
                  type: 'text',
                  visibleIf: 'first != blank',
                  paragraphs: [{ runs: [{ text: 'Hello {{ first }}', href: 'https://x.example/?n={{ first }}' }] }],
                },
                { id: 'ib', type: 'image', src: '{{ first }}', alt: 'Photo of {{ first }}', href: 'https://x.example/{{first}}' },
                {
                  id: 'bb',
                  type: 'button',
                  label: 'Go {{ first }}',
                  href: 'https://x.example/{{ first }}',
                  background: { swatch: 'navy' },
                  color: { rgb: '#ffffff' },
                },
                { id: 'so', type: 'social', links: [{ network: 'web', href: 'https://x.example/{{ first }}' }] },
              ],
            },
          ],
        },
      ],
    },
  });
}

describe('renameField', () => {
  it('renames every reference kind in one operation and touches nothing else', () => {
    const doc = docUsingEverywhere();
    const next = must(renameField(doc, { from: 'first', to: 'given_name' }));
    expect(next.data.fields.map((f) => f.name)).toEqual(['given_name', 'first_name_x', 'mail', 'photo']);
    expect(next.data.recordKey).toBe('given_name');
    expect(next.variants!.keyField).toBe('given_name');
    expect(next.email!.recipientField).toBe('given_name');
    // Rules: the variable, not the string literal.
    expect(next.rules[0]!.expression).toBe("{% if given_name != blank %}Hi {{ given_name | upcase }}{% else %}Hello 'first'{% endif %}");
    // Loop variables' properties and assigned names are left alone; the loop's source is renamed.
    expect(next.rules[1]!.expression).toBe('{% for x in given_name %}{{ x.first }}{% endfor %}{% assign y = given_name %}{{ y }}');
    const page = next.print!.pages[0]!;
    const text = page.elements[0]!;
    if (text.type !== 'text') throw new Error('text');
    expect(text.visibleIf).toBe('given_name != blank');
    expect(text.paragraphs[0]!.visibleIf).toBe("given_name == 'x'");
    // A longer name, the variant's own field and a rule keep their names.
    expect(text.paragraphs[0]!.runs[0]!.text).toBe('Dear {{given_name}}, {{ first_name_x }} {{ dealer.first }} {{ rules.greeting }}');
    // Plain text outside Liquid and quoted strings are not references; multi-line positions are right.
    expect(text.paragraphs[1]!.runs[0]!.text).toBe('{{ "first" }} first {{given_name}}\n{{ given_name }}');
    const [, image, qr, group] = page.elements;
    expect(image!.type === 'image' && image!.source).toBe('{{ given_name | default: photo }}');
    expect(qr!.type === 'barcode' && qr!.data).toBe('https://x.example/{{ given_name }}');
    expect(group!.visibleIf).toBe('given_name');
    expect(group!.type === 'group' && group!.children[0]!.visibleIf).toBe('given_name');
    const email = next.email!;
    expect([email.subject, email.preheader, email.from.name, email.from.email]).toEqual([
      'Hi {{ given_name }}',
      'For {{given_name}}',
      '{{ given_name }} at Dealer',
      'service+{{ given_name }}@example.com',
    ]);
    const s = email.sections[0]!;
    expect(s.visibleIf).toBe('given_name');
    const [tb, ib, bb, so] = s.columns[0]!.blocks;
    expect(tb!.visibleIf).toBe('given_name != blank');
    expect(tb!.type === 'text' && tb!.paragraphs[0]!.runs[0]).toEqual({
      text: 'Hello {{ given_name }}',
      href: 'https://x.example/?n={{ given_name }}',
    });
    expect(ib!.type === 'image' && [ib!.src, ib!.alt, ib!.href]).toEqual([
      '{{ given_name }}',
      'Photo of {{ given_name }}',
      'https://x.example/{{given_name}}',
    ]);
    expect(bb!.type === 'button' && [bb!.label, bb!.href]).toEqual(['Go {{ given_name }}', 'https://x.example/{{ given_name }}']);
    expect(so!.type === 'social' && so!.links[0]!.href).toBe('https://x.example/{{ given_name }}');
    // The variant set's own field "first" is a different thing and keeps its name and values.
    expect(next.variants!.fields[0]!.name).toBe('first');
    expect(next.variants!.items[0]!.values).toEqual({ first: 'dealer value' });
    // Nothing is left pointing at the old name, and the result is a valid document.
    expect(fieldUsages(next, 'first')).toEqual([]);
    expect(checkReferences(next)).toEqual(checkReferences(doc));
    // The input is untouched (pure).
    expect(docUsingEverywhere()).toEqual(doc);
  });

  it('refuses names that are taken, invalid, or belong to a rule, the dealer alias or Presswork', () => {
    const doc = docUsingEverywhere();
    for (const [to, text] of [
      ['mail', 'already a field'],
      ['1st', 'cannot be a field name'],
      ['E-Mail', 'cannot be a field name'],
      ['greeting', 'name of a rule'],
      ['dealer', 'dealer values'],
      ['today', 'provided by Presswork'],
    ] as const) {
      const r = renameField(doc, { from: 'first', to });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toContain(text);
    }
    expect(renameField(doc, { from: 'nope', to: 'x' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('leaves Liquid that does not parse as it is', () => {
    expect(renameVariable('{{ first ', 'template', ['first'], 'x')).toBeNull();
    expect(renameVariable('{{ first }} and {{first}}', 'template', ['first'], 'x')).toBe('{{ x }} and {{x}}');
    expect(renameVariable('{{ rules.greeting }} {{ rules["greeting"] }}', 'template', ['rules', 'greeting'], 'hi')).toBe(
      '{{ rules.hi }} {{ rules["hi"] }}',
    );
    expect(renameVariable('first and not first_x', 'condition', ['first'], 'vorname')).toBe('vorname and not first_x');
    expect(renameVariable('😀 {{ first }} 中文 {{ first }}', 'template', ['first'], 'n')).toBe('😀 {{ n }} 中文 {{ n }}');
  });
});

describe('removeField', () => {
  it('says where a used field is used, and removes an unused one', () => {
    const doc = docUsingEverywhere();
    const r = removeField(doc, { name: 'first' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('in-use');
      expect(r.error.message).toContain('record key');
      expect(r.error.message).toContain('rule greeting');
    }
    const uses = fieldUsages(doc, 'first').map((u) => u.where);
    expect(uses).toContain('text frame "Greeting" on page Front');
    expect(uses).toContain('email subject');
    expect(uses).toContain('dealer key field');
    expect(uses).toContain('email image block in section 1');
    expect(fieldUsages(doc, 'photo').map((u) => u.where)).toEqual(['image frame i1 on page Front']);
    const next = must(removeField(doc, { name: 'mail' }));
    expect(next.data.fields.map((f) => f.name)).toEqual(['first', 'first_name_x', 'photo']);
  });
});

describe('add, update, move, record key, locale', () => {
  it('edits the schema as a designer does', () => {
    let doc = docUsingEverywhere();
    doc = must(addField(doc, { field: { name: 'due_date', type: 'date', required: true, sample: '2026-04-03' }, index: 1 }));
    expect(doc.data.fields.map((f) => f.name)).toEqual(['first', 'due_date', 'first_name_x', 'mail', 'photo']);
    expect(addField(doc, { field: { name: 'due_date' } })).toMatchObject({ ok: false, error: { code: 'duplicate-id' } });
    doc = must(updateField(doc, { name: 'due_date', patch: { type: 'text', required: false, aliases: [' Fällig ', 'Fällig', ''] } }));
    expect(doc.data.fields[1]).toMatchObject({
      name: 'due_date',
      type: 'text',
      required: false,
      aliases: ['Fällig'],
      sample: '2026-04-03',
    });
    doc = must(updateField(doc, { name: 'due_date', patch: { sample: null, label: 'Due' } }));
    expect(doc.data.fields[1]!.sample).toBeUndefined();
    expect(doc.data.fields[1]!.label).toBe('Due');
    expect(updateField(doc, { name: 'due_date', patch: { type: 'nope' as never } }).ok).toBe(false);
    doc = must(moveField(doc, { name: 'due_date', toIndex: 4 }));
    expect(doc.data.fields.map((f) => f.name)).toEqual(['first', 'first_name_x', 'mail', 'photo', 'due_date']);
    doc = must(setRecordKey(doc, { name: 'mail' }));
    expect(doc.data.recordKey).toBe('mail');
    doc = must(setDataFormat(doc, { locale: 'de-DE', currency: 'eur' }));
    expect([doc.data.locale, doc.data.currency]).toEqual(['de-DE', 'EUR']);
    expect(setDataFormat(doc, { locale: 'not a locale!' }).ok).toBe(false);
    expect(setDataFormat(doc, { currency: 'EURO' }).ok).toBe(false);
    // Adding several at once is all or nothing.
    const r = addFields(doc, { fields: [{ name: 'a1' }, { name: 'mail' }] });
    expect(r.ok).toBe(false);
  });
});

describe('create fields from columns', () => {
  it('names and types the columns of a German Excel export', () => {
    expect(fieldNameFor('E-Mail')).toBe('e_mail');
    expect(fieldNameFor('Kunden-Nr.')).toBe('kunden_nr');
    expect(fieldNameFor('Straße')).toBe('strasse');
    expect(fieldNameFor('1. Termin')).toBe('f_1_termin');
    expect(fieldNameFor('日本')).toBe('field');
    const de = 'de-DE';
    expect(guessColumnType('E-Mail', ['a@b.de', '', 'c@d.com'], de)).toBe('email');
    expect(guessColumnType('Betrag', ['1.234,50', '12,00'], de)).toBe('money');
    expect(guessColumnType('Anzahl', ['3', '12'], de)).toBe('number');
    expect(guessColumnType('Preis', ['12,50 €'], de)).toBe('money');
    expect(guessColumnType('Termin', ['03.04.2026', '14.05.2026'], de)).toBe('date');
    expect(guessColumnType('PLZ', ['01067', '80331'], de)).toBe('text');
    expect(guessColumnType('Kunden-Nr.', ['1001', '1002'], de)).toBe('text');
    expect(guessColumnType('customer_id', ['7'], de)).toBe('text');
    expect(guessColumnType('Anzahl Fahrzeuge', ['2'], de)).toBe('number');
    expect(guessColumnType('Telefon', ['+49 30 1234567'], de)).toBe('text');
    expect(guessColumnType('Newsletter', ['ja', 'nein'], de)).toBe('boolean');
    expect(guessColumnType('Web', ['https://example.com/x'], de)).toBe('url');
    expect(guessColumnType('Foto', ['car.jpg'], de)).toBe('image');
    expect(guessColumnType('Notiz', ['<script>alert(1)</script>', '{{ 7*7 }}', 'javascript:alert(1)'], de)).toBe('text');
  });

  it('gives free names, typed samples and the header as alias; the fields then parse', () => {
    let doc = must(setDataFormat(docUsingEverywhere(), { locale: 'de-DE', currency: 'EUR' }));
    const guesses = guessFieldsForColumns(
      doc,
      ['E-Mail', 'Betrag', 'mail', 'Mail'],
      [
        { 'E-Mail': 'a@b.de', Betrag: '1.234,50', mail: 'x', Mail: 'y' },
        { 'E-Mail': 'c@d.de', Betrag: '', mail: 'x', Mail: 'y' },
      ],
    );
    expect(guesses).toEqual([
      { header: 'E-Mail', name: 'e_mail', type: 'email', required: true, sample: 'a@b.de' },
      { header: 'Betrag', name: 'betrag', type: 'money', required: false, sample: 1234.5 },
      { header: 'mail', name: 'mail_2', type: 'text', required: true, sample: 'x' },
      { header: 'Mail', name: 'mail_3', type: 'text', required: true, sample: 'y' },
    ]);
    doc = must(addFields(doc, { fields: fieldsFromGuesses(guesses) }));
    expect(doc.data.fields.find((f) => f.name === 'e_mail')!.aliases).toEqual(['E-Mail']);
    expect(doc.data.fields.find((f) => f.name === 'mail_2')!.aliases).toEqual(['mail']);
  });
});
