import type { Command } from 'commander';
import { checkTemplateAssetsLoading } from '../../../shared/compose/asset-check';
import { loadTemplate } from '../../templates/load';
import { formatIssues, writeErr, writeOut } from '../output';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a template package (.zip) or template folder; exit 0 when valid, 2 with every problem listed when not')
    .argument('<template>', 'template.zip or a folder holding template.json')
    .option('--json', 'print the result as JSON')
    .action(async (path: string, opts: { json?: boolean }) => {
      const loaded = await loadTemplate(path);
      // Every font, image, SVG, PDF and ICC profile is read the way composing reads it (see shared/compose/asset-check.ts).
      const assetIssues = loaded.ok ? await checkTemplateAssetsLoading(loaded.pkg.document, loaded.pkg.assets) : [];
      const result = assetIssues.length ? { ok: false as const, issues: assetIssues } : loaded;
      if (opts.json) {
        writeOut(
          JSON.stringify(result.ok ? { valid: true, migrations: result.migrations } : { valid: false, issues: result.issues }, null, 2),
        );
      } else if (result.ok) {
        const d = result.pkg.document;
        const migrated = result.migrations.length ? ` (migrated: ${result.migrations.join(', ')})` : '';
        writeOut(`${path}: valid — "${d.name}"${migrated}`);
      } else {
        writeErr(formatIssues(path, result.issues));
      }
      process.exitCode = result.ok ? 0 : 2;
    });
}
