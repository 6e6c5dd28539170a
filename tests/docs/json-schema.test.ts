import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { SCHEMA_PATH, templateJsonSchemaText } from '../../scripts/generate-json-schema';
import { loadTemplate } from '../../server/templates/load';

const SAMPLE = join(import.meta.dirname, '../../assets/sample-campaign');
const committed = readFileSync(SCHEMA_PATH, 'utf8');
const schema = JSON.parse(committed) as Record<string, unknown>;

async function samplePackageDocument(): Promise<Record<string, unknown>> {
  const r = await loadTemplate(SAMPLE);
  if (!r.ok) throw new Error(`sample does not validate: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  // Through JSON, as it is written into a package.
  return JSON.parse(JSON.stringify(r.pkg.document)) as Record<string, unknown>;
}

describe('docs/template.schema.json', () => {
  it('is up to date with the zod schemas (run `npm run schema` to regenerate)', async () => {
    expect(committed).toBe(await templateJsonSchemaText());
  });

  it('declares draft 2020-12 and describes the recursive group element through $defs', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(committed).toContain('"$ref": "#/$defs/');
  });

  // Strict, so that a keyword ajv does not know fails the test; `type: [..]` unions are legitimate JSON Schema.
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(schema);

  it('accepts the sample template in package form (sha256 and bytes filled), checked by ajv', async () => {
    const doc = await samplePackageDocument();
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('accepts the sample as written by hand once its assets are hashed, with defaults left out', async () => {
    const raw = JSON.parse(readFileSync(join(SAMPLE, 'template.json'), 'utf8')) as { assets: Record<string, unknown>[] };
    const filled = (await samplePackageDocument()).assets as { sha256: string; bytes: number }[];
    raw.assets = raw.assets.map((a, i) => ({ ...a, sha256: filled[i]!.sha256, bytes: filled[i]!.bytes }));
    expect(validate(raw), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects what the model rejects: unknown keys, bad colours, a wrong element type, missing hashes', async () => {
    const doc = await samplePackageDocument();
    type Doc = {
      brand: Record<string, unknown> & { swatches: Record<string, unknown>[] };
      assets: Record<string, unknown>[];
      print: { pages: { elements: Record<string, unknown>[] }[] };
    };
    const broken = (mutate: (d: Doc) => void) => {
      const d = structuredClone(doc) as unknown as Doc;
      mutate(d);
      return validate(d);
    };
    expect(broken((d) => (d.brand.colour = 'red'))).toBe(false);
    expect(broken((d) => (d.brand.swatches[0]!.srgb = 'navy'))).toBe(false);
    expect(broken((d) => (d.print.pages[0]!.elements[0]!.type = 'star'))).toBe(false);
    expect(broken((d) => delete d.assets[0]!.sha256)).toBe(false);
    expect(
      broken((d) =>
        d.print.pages[0]!.elements.push({
          id: 'g',
          type: 'group',
          x: 0,
          y: 0,
          width: 1,
          height: 1,
          children: [{ id: 'c', type: 'rect', x: 0, y: 0, width: 1, height: 1, bogus: 1 }],
        }),
      ),
    ).toBe(false);
    expect(
      broken((d) =>
        d.print.pages[0]!.elements.push({
          id: 'g',
          type: 'group',
          x: 0,
          y: 0,
          width: 1,
          height: 1,
          children: [{ id: 'c', type: 'rect', x: 0, y: 0, width: 1, height: 1 }],
        }),
      ),
    ).toBe(true);
  });
});
