import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { ptToIn } from '../../../shared/model/units';
import type { TemplateDocument } from '../../../shared/model/document';
import { loadTemplateOrReport, writeOut } from '../output';

export const SAMPLE_CAMPAIGN = fileURLToPath(new URL('../../../assets/sample-campaign', import.meta.url));

const inches = (pt: number) => `${+ptToIn(pt).toFixed(3)} in`;

/** A readable tour of a template: what it prints, what it sends, what it needs. */
export function describeTemplate(d: TemplateDocument): string {
  const lines = [`${d.name}`, `  ${d.description}`];
  for (const p of d.print?.pages ?? [])
    lines.push(
      `  print page "${p.name}": ${inches(p.width)} × ${inches(p.height)}, bleed ${inches(p.bleed.top)}, ${p.elements.length} elements`,
    );
  if (d.email) lines.push(`  email: "${d.email.subject}" (${d.email.sections.length} sections, ${d.email.category})`);
  lines.push(`  fonts: ${d.brand.fonts.map((f) => `${f.family} ${f.weight}${f.style === 'italic' ? ' italic' : ''}`).join(', ')}`);
  lines.push(`  swatches: ${d.brand.swatches.map((s) => (s.spot ? `${s.name} (spot ${s.spot.name})` : s.name)).join(', ')}`);
  lines.push(`  data fields: ${d.data.fields.map((f) => `${f.name}${f.required ? '*' : ''}:${f.type}`).join(', ')}`);
  lines.push(`  rules: ${d.rules.map((r) => r.name).join(', ')}`);
  if (d.variants)
    lines.push(
      `  ${d.variants.alias} variants (by ${d.variants.keyField}): ${d.variants.items.map((v) => `${v.key} ${v.label}`).join(', ')}`,
    );
  return lines.join('\n');
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('validate the bundled sample campaign and describe it')
    .action(async () => {
      const pkg = await loadTemplateOrReport(SAMPLE_CAMPAIGN);
      if (!pkg) return;
      writeOut(`sample campaign: valid\n${describeTemplate(pkg.document)}`);
    });
}
