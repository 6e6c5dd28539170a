import { describe, expect, it } from 'vitest';
import type { ColorError } from './errors';
import { outputIntentInfo, readIccInfo } from './icc-info';

/** A minimal ICC profile: 128-byte header, one tag (desc), as v2 textDescriptionType or v4 mluc. */
function profile(space: string, klass: string, desc: { v2?: string; v4?: string }): Uint8Array {
  const tag: number[] = [];
  const s4 = (s: string) => [...s].forEach((c) => tag.push(c.charCodeAt(0)));
  const u32 = (v: number, out = tag) => out.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  if (desc.v2 !== undefined) {
    s4('desc');
    u32(0);
    u32(desc.v2.length + 1);
    s4(desc.v2);
    tag.push(0);
  } else {
    const text = desc.v4 ?? '';
    s4('mluc');
    u32(0);
    u32(1);
    u32(12);
    s4('enUS');
    u32(text.length * 2);
    u32(28);
    for (const ch of text) tag.push(0, ch.charCodeAt(0));
  }
  const head = new Array<number>(128).fill(0);
  const put = (at: number, s: string) => [...s].forEach((c, i) => (head[at + i] = c.charCodeAt(0)));
  const total = 128 + 4 + 12 + tag.length;
  const size: number[] = [];
  u32(total, size);
  head.splice(0, 4, ...size);
  head[8] = desc.v2 !== undefined ? 2 : 4;
  head[9] = 0x10;
  put(12, klass);
  put(16, space);
  put(20, 'Lab ');
  put(36, 'acsp');
  const table: number[] = [];
  u32(1, table);
  [...'desc'].forEach((c) => table.push(c.charCodeAt(0)));
  u32(144, table);
  u32(tag.length, table);
  return Uint8Array.from([...head, ...table, ...tag]);
}

describe('ICC header and description', () => {
  it('reads a v2 CMYK output profile', () => {
    const info = readIccInfo(profile('CMYK', 'prtr', { v2: 'Coated FOGRA39 (ISO 12647-2:2004)' }));
    expect(info).toEqual({
      version: '2.1',
      deviceClass: 'prtr',
      colorSpace: 'CMYK',
      pcs: 'Lab',
      components: 4,
      description: 'Coated FOGRA39 (ISO 12647-2:2004)',
    });
    expect(outputIntentInfo(profile('CMYK', 'prtr', { v2: 'GRACoL2013' }))).toEqual({
      N: 4,
      outputConditionIdentifier: 'GRACoL2013',
      info: 'GRACoL2013',
      colorSpace: 'CMYK',
    });
  });

  it('reads a v4 mluc description and counts n-colour spaces', () => {
    const info = readIccInfo(profile('RGB ', 'mntr', { v4: 'sRGB v4' }));
    expect([info.version, info.colorSpace, info.components, info.description]).toEqual(['4.1', 'RGB', 3, 'sRGB v4']);
    expect(readIccInfo(profile('6CLR', 'prtr', { v2: 'Hexachrome' })).components).toBe(6);
  });

  it('rejects files that are not ICC profiles, with the offset', () => {
    const bad = profile('CMYK', 'prtr', { v2: 'x' });
    bad[36] = 0x41;
    const err = (() => {
      try {
        readIccInfo(bad);
      } catch (e) {
        return e as ColorError;
      }
      return undefined;
    })();
    expect(err?.code).toBe('icc-invalid');
    expect(err?.offset).toBe(36);
    expect(() => readIccInfo(new Uint8Array(20))).toThrow(/fewer than an ICC header/);
    expect(() => outputIntentInfo(profile('CMYK', 'link', { v2: 'device link' }))).toThrow(/device class "link"/);
  });
});
