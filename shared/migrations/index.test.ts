import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { migrateDocument, migrations } from './index';
import { parseTemplateDocument } from '../model/validate';
import { CURRENT_FORMAT_VERSION } from '../model/document';

const v0 = JSON.parse(readFileSync(new URL('../../tests/fixtures/migrations/v0-postcard.json', import.meta.url), 'utf8'));

describe('migrations', () => {
  it('have unique ids, in order of the version they produce', () => {
    const ids = migrations.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    const tos = migrations.map((m) => m.to);
    expect([...tos].sort((a, b) => a - b)).toEqual(tos);
    expect(Math.max(...tos)).toBe(CURRENT_FORMAT_VERSION);
  });

  it('bring the v0 fixture to the current version, and the result parses', () => {
    const before = JSON.stringify(v0);
    const result = migrateDocument(v0);
    expect(JSON.stringify(v0)).toBe(before); // the input is never mutated
    expect(result.from).toBe(0);
    expect(result.applied).toEqual(['0001-page-bleed-number-to-sides', '0001-text-string-to-paragraphs', '0001-swatch-hex-renamed-srgb']);
    const parsed = parseTemplateDocument(v0);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.migrations).toEqual(result.applied);
    const page = parsed.document.print!.pages[0]!;
    expect(page.bleed).toEqual({ top: 9, right: 9, bottom: 9, left: 9 });
    const text = page.elements[0]!;
    expect(text.type === 'text' && text.paragraphs.map((p) => p.runs[0]!.text)).toEqual([
      'Hello {{ first_name }}',
      'Your car is due for service',
    ]);
    const group = page.elements[1]!;
    expect(group.type === 'group' && group.children[0]!.type === 'text' && group.children[0]!.paragraphs[0]!.runs[0]!.text).toBe('Nested');
    expect(parsed.document.brand.swatches[0]!.srgb).toBe('#14358c');
  });

  it('leave a current document untouched', () => {
    const current = { formatVersion: CURRENT_FORMAT_VERSION, print: { pages: [{ bleed: 3 }] } };
    const result = migrateDocument(current);
    expect(result.applied).toEqual([]);
    expect(result.document).toBe(current);
  });
});
