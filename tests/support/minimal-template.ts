import type { TemplateDocumentInput } from '../../shared/model/document';

/** A small, valid template (one page, one swatch, one font) for tests to start from and break on purpose. */
export function minimalTemplate(): TemplateDocumentInput & Record<string, unknown> {
  return {
    format: 'presswork-template',
    formatVersion: 1,
    id: 'minimal',
    name: 'Minimal',
    brand: {
      name: 'Test brand',
      fonts: [{ id: 'body', family: 'Test Sans', weight: 400, style: 'normal', asset: 'font-body', licence: 'test' }],
      swatches: [
        { id: 'navy', name: 'Navy', spot: { name: 'PANTONE 2758 C', lab: [22, 9, -50] }, cmyk: [100, 85, 5, 22], srgb: '#14358c' },
      ],
    },
    assets: [{ id: 'font-body', name: 'fonts/body.ttf', mediaType: 'font/ttf', sha256: 'a'.repeat(64), bytes: 3 }],
    data: {
      recordKey: 'id',
      fields: [
        { name: 'id', type: 'text', required: true },
        { name: 'first_name', type: 'text' },
        { name: 'dealer_id', type: 'text' },
      ],
    },
    rules: [{ name: 'greeting', expression: '{% if first_name != blank %}Hi {{ first_name }}{% else %}Hello{% endif %}' }],
    variants: {
      keyField: 'dealer_id',
      fields: [{ name: 'phone', type: 'phone', required: true }],
      items: [{ key: 'D1', label: 'Dealer one', values: { phone: '555-0100' } }],
    },
    print: {
      pages: [
        {
          id: 'front',
          name: 'Front',
          width: 432,
          height: 288,
          bleed: { top: 9, right: 9, bottom: 9, left: 9 },
          elements: [
            { id: 'bg', type: 'rect', x: -9, y: -9, width: 450, height: 306, fill: { swatch: 'navy' } },
            {
              id: 'hello',
              type: 'text',
              x: 36,
              y: 36,
              width: 300,
              height: 60,
              style: { font: 'body', size: 18, color: { swatch: 'navy' } },
              paragraphs: [{ runs: [{ text: '{{ rules.greeting }}, call {{ dealer.phone }}' }] }],
            },
          ],
        },
      ],
    },
  };
}
