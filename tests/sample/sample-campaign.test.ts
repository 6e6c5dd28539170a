import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../server/templates/load';
import { sniffImage } from '../../shared/model/package';
import type { TemplateDocument } from '../../shared/model/document';
import { walkElements } from '../../shared/model/elements/registry';

const ROOT = join(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'assets/sample-campaign');
const raw = JSON.parse(readFileSync(join(SAMPLE, 'template.json'), 'utf8')) as {
  assets: { id: string; name: string; mediaType: string }[];
  data: { fields: { name: string }[] };
};

async function loadSample(): Promise<TemplateDocument> {
  const r = await loadTemplate(SAMPLE);
  if (!r.ok) throw new Error(`sample does not validate:\n${r.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
  return r.pkg.document;
}

describe('sample campaign template', () => {
  it('validates through loadTemplate', async () => {
    const r = await loadTemplate(SAMPLE);
    expect(r.ok ? [] : r.issues).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('has a file for every listed asset, of the media type it declares', () => {
    for (const a of raw.assets) {
      const path = join(SAMPLE, 'assets', a.name);
      expect(existsSync(path), `${a.name} is missing`).toBe(true);
      const bytes = new Uint8Array(readFileSync(path));
      if (a.mediaType === 'image/png' || a.mediaType === 'image/jpeg') expect(sniffImage(bytes)?.mediaType).toBe(a.mediaType);
      if (a.mediaType === 'image/svg+xml') {
        const svg = new TextDecoder().decode(bytes);
        expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 240 100"/);
        expect(svg).not.toMatch(/<text|<image|<use|href=|<style|<script/);
        expect(svg.toLowerCase()).toContain('#14358c');
        expect(svg.toLowerCase()).toContain('#e8412c');
      }
    }
  });

  it('has PNG logos with an alpha channel and every raster image at >= 300 ppi in the frames that show it', async () => {
    const doc = await loadSample();
    const assetOf = new Map<string, string>(doc.brand.logos.map((l) => [l.id, l.asset]));
    for (const a of doc.assets) assetOf.set(a.id, a.id);
    for (const a of doc.assets.filter((x) => x.mediaType === 'image/png')) {
      const bytes = readFileSync(join(SAMPLE, 'assets', a.name));
      // IHDR colour type at byte 25: 6 = RGBA (4 = grey + alpha).
      expect([4, 6], `${a.name} has no alpha channel`).toContain(bytes[25]);
    }
    // Frames: every print image element, with its source resolved statically or through each dealer's logo.
    const frames: { width: number; height: number; fit: string; asset: string }[] = [];
    const dealerLogos = [...(doc.variants?.items.map((v) => v.values.logo) ?? []), doc.variants?.fallback.values.logo];
    for (const page of doc.print?.pages ?? [])
      for (const { element } of walkElements(page.elements)) {
        if (element.type !== 'image') continue;
        const sources = element.source.includes('{{ dealer.logo }}') ? dealerLogos : [element.source];
        for (const s of sources) {
          const asset = s === undefined ? undefined : assetOf.get(s);
          if (asset) frames.push({ width: element.width, height: element.height, fit: element.fit, asset });
        }
      }
    expect(frames.length).toBeGreaterThanOrEqual(9);
    let checked = 0;
    for (const f of frames) {
      const a = doc.assets.find((x) => x.id === f.asset)!;
      if (a.mediaType === 'image/svg+xml') continue;
      const px = sniffImage(new Uint8Array(readFileSync(join(SAMPLE, 'assets', a.name))));
      expect(px, a.name).toBeDefined();
      // contain fits the whole image in the frame, cover fills it (cropping), fill stretches it: the
      // effective resolution is 72 / (points per pixel), in the image's less dense direction for fill.
      const sx = f.width / px!.width;
      const sy = f.height / px!.height;
      const ptPerPx = f.fit === 'contain' ? Math.min(sx, sy) : Math.max(sx, sy);
      const ppi = 72 / ptPerPx;
      expect(ppi, `${a.name} in a ${f.width}x${f.height} pt frame`).toBeGreaterThanOrEqual(300);
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });

  it('ships fonts byte-identical to their npm packages, with their licences', () => {
    const pairs: [string, string][] = [
      ['fonts/Oswald_700Bold.ttf', 'node_modules/@expo-google-fonts/oswald/700Bold/Oswald_700Bold.ttf'],
      ['fonts/SourceSans3-Regular.otf', 'node_modules/source-sans/OTF/SourceSans3-Regular.otf'],
      ['fonts/SourceSans3-Bold.otf', 'node_modules/source-sans/OTF/SourceSans3-Bold.otf'],
      ['fonts/SourceSans3-It.otf', 'node_modules/source-sans/OTF/SourceSans3-It.otf'],
    ];
    for (const [ours, upstream] of pairs) {
      expect(
        raw.assets.some((a) => a.name === ours),
        `${ours} is not listed in template.json`,
      ).toBe(true);
      expect(Buffer.compare(readFileSync(join(SAMPLE, 'assets', ours)), readFileSync(join(ROOT, upstream))), ours).toBe(0);
    }
    const oswaldLicence = readFileSync(join(SAMPLE, 'assets/fonts/Oswald-OFL.txt'), 'utf8');
    const sourceLicence = readFileSync(join(SAMPLE, 'assets/fonts/SourceSans3-OFL.md'), 'utf8');
    expect(oswaldLicence).toContain('SIL Open Font License, Version 1.1');
    expect(sourceLicence).toContain('SIL Open Font License, Version 1.1');
    expect(oswaldLicence).toBe(readFileSync(join(ROOT, 'node_modules/@expo-google-fonts/oswald/LICENSE_FONT'), 'utf8'));
    expect(sourceLicence).toBe(readFileSync(join(ROOT, 'node_modules/source-sans/LICENSE.md'), 'utf8'));
  });
});

describe('sample customers (data/customers.csv)', () => {
  const text = readFileSync(join(SAMPLE, 'data/customers.csv'), 'utf8');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const rows = parsed.data;
  /** 1-based data row. */
  const row = (n: number): Record<string, string> => {
    const r = rows[n - 1];
    if (!r) throw new Error(`no data row ${n}`);
    return r;
  };

  it('is RFC 4180 CSV in UTF-8 without BOM, with the template fields as header', () => {
    expect(readFileSync(join(SAMPLE, 'data/customers.csv'))[0]).not.toBe(0xef);
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(raw.data.fields.map((f) => f.name));
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('has 200 records with unique ids, all three dealers throughout, and well-formed values', () => {
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => r.customer_id)).size).toBe(200);
    for (const r of rows) {
      expect(r.last_service_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(r.last_service_date!))).toBe(false);
      expect(['true', 'false']).toContain(r.offer_eligible);
      if (r.offer_eligible === 'true') expect(r.offer_amount).toMatch(/^\d+\.\d{2}$/);
      else expect(r.offer_amount).toBe('');
    }
    for (const half of [rows.slice(0, 100), rows.slice(100)])
      for (const d of ['NS01', 'LK02', 'MV03']) expect(half.filter((r) => r.dealer_id === d).length).toBeGreaterThan(20);
    expect(rows.filter((r) => r.address2 === '').length).toBeGreaterThan(150);
  });

  /** Each documented hard case, checked at its documented row. */
  const hardCases: Record<number, (r: Record<string, string>) => void> = {
    3: (r) => expect([r.first_name, r.last_name]).toEqual(['José', 'Muñoz']),
    7: (r) => expect([r.first_name, r.last_name]).toEqual(['Zoë', 'Brontë']),
    12: (r) => expect([r.first_name, r.last_name]).toEqual(['Łukasz', 'Wróbel']),
    18: (r) => expect([r.first_name, r.last_name]).toEqual(['Thị Hương', 'Nguyễn']),
    23: (r) => expect([r.first_name, r.last_name]).toEqual(['Søren', 'Kierkegård']),
    29: (r) => {
      expect([r.first_name, r.last_name]).toEqual(['Γιώργος', 'Παπαδόπουλος']);
      expect(`${r.first_name}${r.last_name}`).toMatch(/^[\u0370-\u03ff\u1f00-\u1fff]+$/);
    },
    34: (r) => {
      expect([r.first_name, r.last_name]).toEqual(['Дмитрий', 'Иванов']);
      expect(`${r.first_name}${r.last_name}`).toMatch(/^[\u0400-\u04ff]+$/);
    },
    41: (r) => expect(`${r.first_name} ${r.last_name}`.length).toBeGreaterThanOrEqual(45),
    47: (r) => expect(r.address1!.length).toBeGreaterThanOrEqual(60),
    52: (r) => expect(r.first_name).toBe(''),
    58: (r) => expect(r.vehicle_model).toBe(''),
    63: (r) => expect(r.dealer_id).toBe('ZZ99'),
    71: (r) => expect(r.email).toBe('maria.garcia@@example'),
    77: (r) => {
      const name = `${r.first_name} ${r.last_name}`;
      for (const ch of ['"', ',', '&']) expect(name).toContain(ch);
    },
    84: (r) => expect(r.address2).toBe('Building 4\nApt 12B'),
    90: (r) => expect(r.last_service_date).toBe('2026-08-31'),
    95: (r) => expect(r.last_service_date).toBe('2026-03-31'),
    102: (r) => expect(r.last_service_date).toBe('2025-12-31'),
    110: (r) => expect(r.last_service_date).toBe('2026-05-31'),
    118: (r) => expect(r.last_service_date).toBe('2026-10-31'),
    125: (r) => expect(r.last_service_date).toBe('2026-08-29'),
    130: (r) => expect([r.offer_eligible, r.offer_amount]).toEqual(['true', '0.00']),
    136: (r) => expect(r.first_name).toBe('  Maria '),
    142: (r) => expect(r.email).toBe(''),
    149: (r) => expect(r.postal_code).toBe('43229-1234'),
    155: (r) => expect(r.postal_code).toBe('07030'),
    163: (r) => expect([r.vehicle_year, r.mileage]).toEqual(['1998', '287450']),
  };

  const readme = readFileSync(join(SAMPLE, 'data/README.md'), 'utf8');
  const documented = [...readme.matchAll(/^\| (\d+) \| (C-\d{6}) \|/gm)].map((m) => ({ row: Number(m[1]), id: m[2]! }));

  it('documents every hard case in data/README.md', () => {
    expect(documented.map((d) => d.row).sort((a, b) => a - b)).toEqual(
      Object.keys(hardCases)
        .map(Number)
        .sort((a, b) => a - b),
    );
  });

  it.each(documented)('has the documented hard case at row $row ($id)', ({ row: n, id }) => {
    const r = row(n);
    expect(r.customer_id).toBe(id);
    hardCases[n]!(r);
  });

  it('quotes the fields that need it in the raw text', () => {
    expect(text).toContain('"James ""Jim""","Kelly, Jr. & Family"');
    expect(text).toContain('"Building 4\nApt 12B"');
  });
});
