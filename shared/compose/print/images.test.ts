import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzlibSync, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkRasterImage, ImageError, prepareImage } from './images';

const LOGOS = join(import.meta.dirname, '../../../assets/sample-campaign/assets/logos');

/** A tiny RGBA PNG (2×1: opaque red, transparent blue), built by hand. */
function rgbaPng(): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Uint8Array) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: number[] | Uint8Array) => {
    const body = new Uint8Array([...type].map((c) => c.charCodeAt(0)).concat([...data]));
    const len = data.length;
    const c = crc(body);
    return [
      (len >>> 24) & 255,
      (len >>> 16) & 255,
      (len >>> 8) & 255,
      len & 255,
      ...body,
      (c >>> 24) & 255,
      (c >>> 16) & 255,
      (c >>> 8) & 255,
      c & 255,
    ];
  };
  const ihdr = [0, 0, 0, 2, 0, 0, 0, 1, 8, 6, 0, 0, 0];
  const raw = new Uint8Array([0, 255, 0, 0, 255, 0, 0, 255, 0]);
  return new Uint8Array([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...chunk('IHDR', ihdr),
    ...chunk('IDAT', zlibSync(raw)),
    ...chunk('IEND', []),
  ]);
}

describe('prepareImage', () => {
  it('splits PNG alpha into a soft mask', () => {
    const img = prepareImage(rgbaPng(), 'tiny.png');
    expect([img.width, img.height, img.colorSpace]).toEqual([2, 1, 'DeviceRGB']);
    expect([...unzlibSync(img.data)]).toEqual([255, 0, 0, 0, 0, 255]);
    expect([...unzlibSync(img.smask!.data)]).toEqual([255, 0]);
  });

  it('passes JPEG through and reads its size and components', () => {
    const bytes = new Uint8Array(readFileSync(join(LOGOS, 'mesaverde.jpg')));
    const img = prepareImage(bytes, 'mesaverde.jpg');
    expect(img.filter).toBe('DCTDecode');
    expect(img.data).toBe(bytes);
    expect(img.width).toBeGreaterThan(0);
  });

  it('decodes the sample PNG logos', () => {
    for (const f of ['northside.png', 'lakeview.png']) {
      const img = prepareImage(new Uint8Array(readFileSync(join(LOGOS, f))), f);
      const px = unzlibSync(img.data);
      expect(px.length).toBe(img.width * img.height * (img.colorSpace === 'DeviceRGB' ? 3 : 1));
    }
  });

  it('refuses what it cannot place, with a reason', () => {
    expect(() => prepareImage(new TextEncoder().encode('<svg/>'), 'x.svg')).toThrow(ImageError);
  });
});

describe('damaged images are ImageErrors naming the file', () => {
  const errorOf = (fn: () => unknown): ImageError => {
    try {
      fn();
    } catch (e) {
      if (e instanceof ImageError) return e;
      throw new Error(`expected an ImageError, got ${String(e)}`);
    }
    throw new Error('expected an ImageError');
  };

  it.each(['northside.png', 'mesaverde.jpg'])('every cut of %s (60 cuts) fails the check with the file named', (f) => {
    const b = new Uint8Array(readFileSync(join(LOGOS, f)));
    expect(checkRasterImage(b, f).width).toBeGreaterThan(0);
    for (let i = 0; i < 60; i++) {
      const part = b.subarray(0, Math.floor((b.length * i) / 60));
      expect(errorOf(() => checkRasterImage(part, `logos/${f}`)).message).toMatch(new RegExp(`^image "logos/${f.replace('.', '\\.')}"`));
    }
  });

  it('preparing a cut PNG for the PDF is an ImageError too, never a raw inflate or bounds error', () => {
    const b = new Uint8Array(readFileSync(join(LOGOS, 'lakeview.png')));
    for (let i = 1; i < 30; i++) {
      const part = b.subarray(0, Math.floor((b.length * i) / 30));
      expect(errorOf(() => prepareImage(part, 'logos/lakeview.png')).message).toMatch(
        /^image "logos\/lakeview\.png": .*(damaged|cut short|truncated)/,
      );
    }
  });
});
