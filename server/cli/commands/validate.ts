import type { Command } from 'commander';
import { loadTemplate } from '../../templates/load';
import { formatIssues, writeErr, writeOut } from '../output';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a template package (.zip) or template folder; exit 0 when valid, 2 with every problem listed when not')
    .argument('<template>', 'template.zip or a folder holding template.json')
    .option('--json', 'print the result as JSON')
    .action(async (path: string, opts: { json?: boolean }) => {
      const result = await loadTemplate(path);
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
