import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ELEMENT_TYPES,
  EMAIL_BLOCK_TYPES,
  FIELD_TYPES,
  TemplateDocumentSchema,
  parseTemplateDocument,
  type ValidationIssue,
} from '../../shared/model';
import { packageFromFolder, sha256Hex } from '../../shared/model/package';
import { migrations } from '../../shared/migrations';
import { BUILTIN_VARIABLES } from '../../shared/rules/analyze';

const ROOT = join(import.meta.dirname, '../..');
const guide = readFileSync(join(ROOT, 'docs/template-format.md'), 'utf8');
const FONT = new Uint8Array(readFileSync(join(ROOT, 'node_modules/source-sans/OTF/SourceSans3-Regular.otf')));

/** The JSON code block right after the `minimal-template` marker in the guide. */
function minimalTemplateFromGuide(): Record<string, unknown> {
  const marker = guide.indexOf('<!-- minimal-template');
  expect(marker, 'the guide lost its <!-- minimal-template --> marker').toBeGreaterThan(0);
  const block = /```json\n([\s\S]*?)\n```/.exec(guide.slice(marker));
  expect(block, 'no ```json block after the minimal-template marker').not.toBeNull();
  return JSON.parse(block![1]!) as Record<string, unknown>;
}

const show = (issues: ValidationIssue[]) => issues.map((i) => `${i.path}: ${i.message}`).join('\n');

describe('docs/template-format.md walkthrough', () => {
  it('has a minimal template that validates in the folder form, with the font the guide tells you to copy', () => {
    const r = packageFromFolder(minimalTemplateFromGuide(), new Map([['assets/fonts/SourceSans3-Regular.otf', FONT]]));
    expect(r.ok ? '' : show(r.issues)).toBe('');
  });

  it('has a minimal template that parseTemplateDocument accepts once its asset is hashed (package form)', () => {
    const doc = minimalTemplateFromGuide() as { assets: Record<string, unknown>[] };
    doc.assets = doc.assets.map((a) => ({ ...a, sha256: sha256Hex(FONT), bytes: FONT.length }));
    const r = parseTemplateDocument(doc);
    expect(r.ok ? '' : show(r.issues)).toBe('');
    expect(r.ok && r.document.print?.pages[0]?.elements.map((e) => e.type)).toEqual(['rect', 'text']);
  });

  it('has a minimal template whose mistakes are caught (the "break it on purpose" step)', () => {
    const text = JSON.stringify(minimalTemplateFromGuide())
      .replace('"swatch":"navy"', '"swatch":"nav"')
      .replace('first_name != blank', 'frist_name != blank');
    const r = packageFromFolder(JSON.parse(text), new Map([['assets/fonts/SourceSans3-Regular.otf', FONT]]));
    expect(r.ok).toBe(false);
    const codes = r.ok ? [] : r.issues.map((i) => i.code);
    expect(codes).toContain('unknown-swatch');
    expect(codes).toContain('unknown-field');
  });

  it('documents every top-level key, element type, email block type, field type, built-in variable and migration', () => {
    for (const key of Object.keys(TemplateDocumentSchema.shape)) expect(guide, `document key ${key}`).toContain(`\`${key}\``);
    for (const t of ELEMENT_TYPES) expect(guide, `element type ${t}`).toMatch(new RegExp(`^### ${t}\\b|^### .*\\b${t}\\b`, 'm'));
    for (const t of EMAIL_BLOCK_TYPES) expect(guide, `email block ${t}`).toContain(`#### ${t} → \`<mj-`);
    for (const t of FIELD_TYPES) expect(guide, `field type ${t}`).toContain(`\`${t}\``);
    for (const v of BUILTIN_VARIABLES) expect(guide, `built-in ${v}`).toContain(`\`${v}\``);
    for (const m of migrations) expect(guide, `migration ${m.id}`).toContain(`\`${m.id}\``);
  });
});
