import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTemplate } from '../../server/templates/load';
import { writeTemplatePackage } from '../../shared/model/package';
import { runPresswork } from '../support/cli';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sample = join(root, 'assets/sample-campaign');

const presswork = (...args: string[]) => runPresswork(args);

describe('presswork validate', () => {
  it('accepts the sample campaign folder (exit 0)', async () => {
    const r = await presswork('validate', sample);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/valid — "Service reminder/);
    expect(r.code).toBe(0);
  });

  it('accepts the sample as a .zip package and round-trips it with identical asset hashes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-validate-'));
    try {
      const loaded = await loadTemplate(sample);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
      const zipPath = join(dir, 'service-reminder.zip');
      writeFileSync(zipPath, writeTemplatePackage(loaded.pkg));
      const r = await presswork('validate', zipPath);
      expect(r.code).toBe(0);
      const again = await loadTemplate(zipPath);
      expect(again.ok && again.pkg.document).toEqual(loaded.pkg.document);
      expect(again.ok && [...again.pkg.assets.keys()].sort()).toEqual([...loaded.pkg.assets.keys()].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports all five planted mistakes with their paths (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-validate-'));
    try {
      cpSync(sample, dir, { recursive: true });
      const doc = JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8'));
      const front = doc.print.pages[0].elements;
      const back = doc.print.pages[1].elements;
      const headline = front.findIndex((e: { id: string }) => e.id === 'front-headline');
      const message = back.findIndex((e: { id: string }) => e.id === 'back-message');
      const dueDate = doc.rules.findIndex((r: { name: string }) => r.name === 'due_date');
      front[headline].style.size = 0; // 1. a size that must be positive
      doc.email.sections[3].columns[0].blocks[0].type = 'btn'; // 2. an email block type that does not exist
      back[message].style.font = 'font-comic-sans'; // 3. a font that is not in the brand kit
      doc.variants.keyField = 'dealer_code'; // 4. a variant key that is not a data field
      doc.rules[dueDate].expression = "{{ last_serviced_on | date: '%B %Y' }}"; // 5. a rule using an unknown field
      writeFileSync(join(dir, 'template.json'), JSON.stringify(doc, null, 2));

      const r = await presswork('validate', dir);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines[0]).toBe(`${dir}: 5 problems`);
      expect(lines.slice(1).map((l) => l.trim().split(':')[0])).toEqual(
        expect.arrayContaining([
          `print.pages[0].elements[${headline}].style.size`,
          'email.sections[3].columns[0].blocks[0].type',
          `print.pages[1].elements[${message}].style.font`,
          'variants.keyField',
          `rules[${dueDate}].expression`,
        ]),
      );
      expect(r.stderr).toMatch(/must be greater than 0/);
      expect(r.stderr).toMatch(/unknown font "font-comic-sans"/);
      expect(r.stderr).toMatch(/"last_serviced_on" is not a data field/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains a missing path and shows help', async () => {
    const missing = await presswork('validate', join(root, 'no/such/template'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file or folder/);
    const help = await presswork('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/validate \[options\] <template>/);
  });
});
