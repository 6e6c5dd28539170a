import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLibrary, type Db } from './library-db';
import { TemplateService } from './templates';
import { SAMPLE_DIR } from '../studio';
import { readTemplatePackage } from '../../shared/model/package';

describe('TemplateService.create (File ▸ New)', () => {
  let dir: string;
  let db: Db;
  let templates: TemplateService;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'templates-'));
    db = openLibrary(dir);
    templates = new TemplateService(db, () => new Date('2026-11-22T10:00:00Z'), SAMPLE_DIR);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a postcard with a front and a back, bleed, an empty brand kit, saved in the library', () => {
    const s = templates.create({ name: 'Spring tune-up', preset: 'postcard-6x9', custom: null, brandFrom: null });
    expect(s.id).toMatch(/^spring-tune-up-[0-9a-f]{8}$/);
    const pages = s.document.print!.pages;
    expect(pages.map((p) => [p.name, p.width, p.height, p.bleed.top])).toEqual([
      ['Front', 648, 432, 9],
      ['Back', 648, 432, 9],
    ]);
    expect(s.document.brand.swatches).toEqual([]);
    expect(s.recovered).toBe(false);
    // In the library (a package), listed, and readable again after a restart.
    expect(templates.list().map((t) => t.name)).toEqual(['Spring tune-up']);
    const again = new TemplateService(db, () => new Date(), SAMPLE_DIR).get(s.id);
    expect(again.document.print!.pages).toHaveLength(2);
  });

  it('uses A4 and letter sizes and a custom size with its own bleed', () => {
    const a4 = templates.create({ name: 'A4 letter', preset: 'a4', custom: null, brandFrom: null }).document.print!.pages;
    expect(a4).toHaveLength(1);
    expect(a4[0]!.width).toBeCloseTo(595.276, 2);
    expect(a4[0]!.height).toBeCloseTo(841.89, 2);
    const letter = templates.create({ name: 'Letter', preset: 'letter', custom: null, brandFrom: null }).document.print!.pages[0]!;
    expect([letter.width, letter.height]).toEqual([612, 792]);
    const custom = templates.create({
      name: 'Door hanger',
      preset: 'custom',
      custom: { width: 300, height: 700, bleed: 12 },
      brandFrom: null,
    });
    expect(custom.document.print!.pages[0]).toMatchObject({ width: 300, height: 700, bleed: { top: 12, right: 12, bottom: 12, left: 12 } });
    expect(() => templates.create({ name: 'x', preset: 'custom', custom: null, brandFrom: null })).toThrow(/custom page size/);
  });

  it('copies the brand kit of a library template with its font and logo files', async () => {
    const sample = await templates.openSample();
    const kits = templates.brandKits();
    expect(kits).toEqual([expect.objectContaining({ templateId: sample.id, swatches: sample.document.brand.swatches.length })]);
    const s = templates.create({ name: 'Winter tyres', preset: 'postcard-4x6', custom: null, brandFrom: sample.id });
    expect(s.document.brand).toEqual(sample.document.brand);
    const used = [...s.document.brand.fonts.map((f) => f.asset), ...s.document.brand.logos.map((l) => l.asset)];
    expect(s.document.assets.map((a) => a.id).sort()).toEqual([...new Set(used)].sort());
    // The package holds every referenced file, so the new template opens anywhere.
    const pkg = readTemplatePackage(templates.packageBytes(s.id));
    expect(pkg.ok).toBe(true);
    if (pkg.ok) expect(pkg.pkg.assets.size).toBe(new Set(s.document.assets.map((a) => a.sha256)).size);
  });
});
