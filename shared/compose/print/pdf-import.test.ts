import { PDFDict, PDFDocument, PDFName, PDFRef, degrees, rgb } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { importPdfPage, PdfImportError, writeArtworkForm } from './pdf-import';

async function artwork(opts: { objectStreams: boolean; rotate?: number; crop?: [number, number, number, number]; pages?: number }) {
  const doc = await PDFDocument.create();
  for (let i = 0; i < (opts.pages ?? 1); i++) {
    const page = doc.addPage([300, 200]);
    page.drawRectangle({ x: 10 + i, y: 10, width: 50, height: 40, color: rgb(1, 0, 0) });
    if (opts.rotate) page.setRotation(degrees(opts.rotate));
    if (opts.crop) page.setCropBox(...opts.crop);
  }
  return doc.save({ useObjectStreams: opts.objectStreams });
}

const apply = (m: readonly number[], x: number, y: number) => [m[0]! * x + m[2]! * y + m[4]!, m[1]! * x + m[3]! * y + m[5]!];
const close = (p: number[], q: number[]) => p.every((v, i) => Math.abs(v - q[i]!) < 1e-9);

describe('importPdfPage', () => {
  it('reads a page from a classic xref file and from object streams alike', async () => {
    for (const objectStreams of [false, true]) {
      const a = importPdfPage(await artwork({ objectStreams }), 'a.pdf');
      expect([a.width, a.height]).toEqual([300, 200]);
      expect(a.bbox).toEqual([0, 0, 300, 200]);
      expect(new TextDecoder().decode(a.content)).toMatch(/10 10 m|re\b|10 10/);
      // The page box maps onto the unit square, as an image would.
      expect(close(apply(a.matrix, 0, 0), [0, 0])).toBe(true);
      expect(close(apply(a.matrix, 300, 200), [1, 1])).toBe(true);
    }
  });

  it('chooses a page, uses the CropBox and turns with /Rotate as viewers show it', async () => {
    const second = importPdfPage(await artwork({ objectStreams: true, pages: 2 }), 'two.pdf', 1);
    expect(new TextDecoder().decode(second.content)).toContain('11 10');
    const cropped = importPdfPage(await artwork({ objectStreams: true, crop: [50, 20, 150, 100] }), 'c.pdf');
    expect(cropped.bbox).toEqual([50, 20, 200, 120]);
    expect([cropped.width, cropped.height]).toEqual([150, 100]);
    const turned = importPdfPage(await artwork({ objectStreams: true, rotate: 90 }), 'r.pdf');
    expect([turned.width, turned.height]).toEqual([200, 300]);
    // Turned clockwise: the page's top-left corner shows at the top-right, its bottom-left at the top-left.
    expect(close(apply(turned.matrix, 0, 200), [1, 1])).toBe(true);
    expect(close(apply(turned.matrix, 0, 0), [0, 1])).toBe(true);
    expect(close(apply(turned.matrix, 300, 0), [0, 0])).toBe(true);
  });

  it('copies the resource graph once, renumbered, and never the page tree', async () => {
    const a = importPdfPage(await artwork({ objectStreams: true }), 'a.pdf');
    // A resource pointing back at a page (as some producers do) must not drag the document in.
    const pageRef = a.context.enumerateIndirectObjects().find(([, o]) => o.toString().includes('/Type /Page\n'))?.[0];
    expect(pageRef).toBeDefined();
    const res = a.resources instanceof PDFRef ? a.context.lookup(a.resources) : a.resources;
    if (!(res instanceof PDFDict) || !pageRef) throw new Error('the test page has a resource dictionary');
    res.set(PDFName.of('Back'), pageRef);
    const objs: string[] = [];
    const streams: string[] = [];
    let next = 100;
    writeArtworkForm(
      a,
      { alloc: () => next++, obj: (id, body) => objs.push(`${id}:${body}`), stream: (id, dict) => streams.push(`${id}:${dict}`) },
      99,
    );
    expect(streams[0]).toMatch(/^99:\/Type\/XObject\/Subtype\/Form\/BBox\[0 0 300 200\]\/Matrix\[/);
    expect(streams[0]).toContain('/Back null');
    expect(objs.join('\n')).not.toContain('/Type /Page');
  });

  it('refuses what is not a PDF, a damaged file and a missing page with a reason', async () => {
    const fail = (bytes: Uint8Array, page = 0) => {
      try {
        importPdfPage(bytes, 'x.pdf', page);
      } catch (e) {
        return e instanceof PdfImportError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
      }
      return 'ok';
    };
    expect(fail(new TextEncoder().encode('GIF89a'))).toMatch(/^image-unreadable: "x.pdf" is not a PDF file/);
    expect(fail(new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nendobj\n'))).toMatch(
      /^image-unreadable: .*damaged/,
    );
    expect(fail(await artwork({ objectStreams: false }), 3)).toBe('image-unsupported: "x.pdf" has no page 4');
  });
});
