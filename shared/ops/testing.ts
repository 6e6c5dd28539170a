import type { TemplateDocument } from '../model/document';
import { assertTemplateDocument } from '../model/validate';

/**
 * A small document for operation and editor tests: one 6×9 in postcard page (bleed 9, safe area 18) with
 * plain, rotated, locked, hidden, grouped and off-page elements, and a two-section email.
 *
 *   a  rect     10,10  100×50
 *   b  rect     200,10 100×50
 *   c  ellipse  300,200 100×50, rotated 90°
 *   locked  rect 400,300 50×50, locked
 *   hidden  rect 500,300 50×50, hidden
 *   g  group    100,150 200×100 containing g1 (0,0 50×50) and g2 (150,50 50×50)
 *   off rect    700,20 40×40 (off the page, to the right)
 */
export function opsTestDocument(): TemplateDocument {
  const rect = (id: string, x: number, y: number, w: number, h: number, extra: Record<string, unknown> = {}) => ({
    id,
    type: 'rect',
    x,
    y,
    width: w,
    height: h,
    fill: { swatch: 'navy' },
    ...extra,
  });
  return assertTemplateDocument({
    format: 'presswork-template',
    formatVersion: 1,
    id: 'ops-test',
    name: 'Ops test',
    brand: {
      name: 'Test brand',
      fonts: [{ id: 'body', family: 'Test Sans', asset: 'font-body', licence: 'test' }],
      swatches: [
        { id: 'navy', name: 'Navy', cmyk: [100, 85, 5, 22], srgb: '#14358c' },
        { id: 'red', name: 'Red', cmyk: [0, 90, 86, 0], srgb: '#e8412c' },
      ],
    },
    assets: [{ id: 'font-body', name: 'fonts/body.ttf', mediaType: 'font/ttf', sha256: 'a'.repeat(64), bytes: 3 }],
    data: {
      recordKey: 'id',
      fields: [
        { name: 'id', type: 'text', required: true },
        { name: 'email', type: 'email' },
      ],
    },
    print: {
      pages: [
        {
          id: 'front',
          name: 'Front',
          width: 648,
          height: 432,
          bleed: { top: 9, right: 9, bottom: 9, left: 9 },
          safeArea: 18,
          elements: [
            rect('a', 10, 10, 100, 50),
            rect('b', 200, 10, 100, 50),
            { id: 'c', type: 'ellipse', x: 300, y: 200, width: 100, height: 50, rotation: 90, fill: { swatch: 'red' } },
            rect('locked', 400, 300, 50, 50, { locked: true }),
            rect('hidden', 500, 300, 50, 50, { hidden: true }),
            {
              id: 'g',
              type: 'group',
              x: 100,
              y: 150,
              width: 200,
              height: 100,
              children: [rect('g1', 0, 0, 50, 50), rect('g2', 150, 50, 50, 50)],
            },
            rect('off', 700, 20, 40, 40),
          ],
        },
        { id: 'back', name: 'Back', width: 648, height: 432, elements: [rect('back-1', 20, 20, 60, 60, { fill: { swatch: 'red' } })] },
      ],
    },
    email: {
      subject: 'Hello',
      from: { name: 'Dealer', email: 'service@example.com' },
      sections: [
        {
          id: 's1',
          columns: [
            {
              id: 's1c1',
              blocks: [
                { id: 't1', type: 'text', paragraphs: [{ runs: [{ text: 'Hi' }] }] },
                { id: 'sp1', type: 'spacer' },
              ],
            },
          ],
        },
        {
          id: 's2',
          columns: [
            {
              id: 's2c1',
              blocks: [
                {
                  id: 'b1',
                  type: 'button',
                  label: 'Go',
                  href: 'https://x.example',
                  background: { swatch: 'navy' },
                  color: { rgb: '#ffffff' },
                },
              ],
            },
          ],
        },
      ],
    },
  });
}
