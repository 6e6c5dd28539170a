import { describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { packageFromFolder, readTemplatePackage, sha256Hex, sniffImage, writeTemplatePackage, DEFAULT_PACKAGE_LIMITS } from './package';
import { minimalTemplate } from '../../tests/support/minimal-template';

const fontBytes = strToU8('not really a font, but bytes all the same');

function folderPackage() {
  const raw = minimalTemplate() as Record<string, unknown>;
  // Two asset entries pointing at identical bytes: stored once.
  raw.assets = [
    { id: 'font-body', name: 'fonts/body.ttf', mediaType: 'font/ttf' },
    { id: 'font-copy', name: 'fonts/copy.ttf', mediaType: 'font/ttf' },
  ];
  const files = new Map([
    ['assets/fonts/body.ttf', fontBytes],
    ['assets/fonts/copy.ttf', fontBytes.slice()],
  ]);
  const r = packageFromFolder(raw, files);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.pkg;
}

describe('template package', () => {
  it('fills hashes from the folder form and stores identical files once', () => {
    const pkg = folderPackage();
    expect(pkg.document.assets.map((a) => a.sha256)).toEqual([sha256Hex(fontBytes), sha256Hex(fontBytes)]);
    expect(pkg.assets.size).toBe(1);
  });

  it('round-trips with identical asset hashes, and writes the same bytes every time', () => {
    const pkg = folderPackage();
    const zip = writeTemplatePackage(pkg);
    expect(writeTemplatePackage(pkg)).toEqual(zip);
    const back = readTemplatePackage(zip);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.pkg.document).toEqual(pkg.document);
    expect([...back.pkg.assets.keys()]).toEqual([...pkg.assets.keys()]);
    expect(back.pkg.assets.get(sha256Hex(fontBytes))).toEqual(fontBytes);
  });

  it('refuses zip-slip and unexpected entries', () => {
    const pkg = folderPackage();
    const json = strToU8(JSON.stringify(pkg.document));
    for (const evil of ['../evil.sh', '/etc/passwd', 'assets/../../x', 'C:/x', 'a\\b']) {
      const zip = zipSync({ 'template.json': json, [evil]: strToU8('x') });
      const r = readTemplatePackage(zip);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0]!.code).toMatch(/unsafe-path|unexpected-entry/);
    }
  });

  it('detects damaged, missing and unlisted assets', () => {
    const pkg = folderPackage();
    const sha = sha256Hex(fontBytes);
    const json = strToU8(JSON.stringify(pkg.document));
    const damaged = readTemplatePackage(zipSync({ 'template.json': json, [`assets/${sha}`]: strToU8('tampered') }));
    expect(!damaged.ok && damaged.issues.map((i) => i.code)).toEqual(['hash-mismatch', 'missing-asset', 'missing-asset']);
    const extra = strToU8('extra');
    const unlisted = readTemplatePackage(
      zipSync({ 'template.json': json, [`assets/${sha}`]: fontBytes, [`assets/${sha256Hex(extra)}`]: extra }),
    );
    expect(!unlisted.ok && unlisted.issues.map((i) => i.code)).toEqual(['unlisted-asset']);
  });

  it('enforces size limits and rejects non-zips and bad JSON with clear issues', () => {
    const pkg = folderPackage();
    const zip = writeTemplatePackage(pkg);
    const tiny = readTemplatePackage(zip, { ...DEFAULT_PACKAGE_LIMITS, maxEntryBytes: 10 });
    expect(!tiny.ok && tiny.issues.some((i) => i.code === 'too-large')).toBe(true);
    const notZip = readTemplatePackage(strToU8('{"hello": true}'));
    expect(!notZip.ok && notZip.issues[0]!.message).toMatch(/not a zip archive/);
    const badJson = readTemplatePackage(zipSync({ 'template.json': strToU8('{ nope') }));
    expect(!badJson.ok && badJson.issues[0]!.path).toBe('template.json');
    const corrupt = zip.slice(0, zip.length - 30);
    expect(readTemplatePackage(corrupt).ok).toBe(false);
  });

  it('reports folder-form assets that are missing on disk', () => {
    const raw = minimalTemplate() as Record<string, unknown>;
    raw.assets = [{ id: 'font-body', name: 'fonts/body.ttf', mediaType: 'font/ttf' }];
    const r = packageFromFolder(raw, new Map());
    expect(!r.ok && r.issues).toEqual([
      { path: 'assets[0].name', code: 'missing-asset', message: 'no file at assets/fonts/body.ttf in the template folder' },
    ]);
  });

  it('sniffs PNG and JPEG pixel sizes', () => {
    const png = new Uint8Array(33);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 3, 0x84, 0, 0, 1, 0x0e]);
    expect(sniffImage(png)).toEqual({ mediaType: 'image/png', width: 900, height: 270 });
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 17, 8, 0x07, 0xd0, 0x05, 0x78, 3, 0, 0, 0, 0, 0]);
    expect(sniffImage(jpeg)).toEqual({ mediaType: 'image/jpeg', width: 1400, height: 2000 });
    expect(sniffImage(strToU8('GIF89a........'))).toBeUndefined();
  });
});
