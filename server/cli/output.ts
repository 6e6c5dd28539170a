import type { ValidationIssue } from '../../shared/model/issues';
import type { TemplatePackage } from '../../shared/model/package';
import { loadTemplate } from '../templates/load';

export const writeOut = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
export const writeErr = (s: string): void => void process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);

/** Issues as lines `path: message`, grouped under a heading, for people. */
export function formatIssues(source: string, issues: readonly ValidationIssue[]): string {
  const head = `${source}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`;
  return [head, ...issues.map((i) => `  ${i.path}: ${i.message}`)].join('\n');
}

/**
 * Load a template folder or package for a command. When it is invalid, every problem is written to stderr as
 * `validate` writes them, the exit code is set to 2, and undefined is returned.
 */
export async function loadTemplateOrReport(path: string): Promise<TemplatePackage | undefined> {
  const result = await loadTemplate(path);
  if (result.ok) return result.pkg;
  writeErr(formatIssues(path, result.issues));
  process.exitCode = 2;
  return undefined;
}

/** `--help` text listing what each exit code of a command means (commander's addHelpText 'after'). */
export const exitCodesHelp = (codes: Readonly<Record<0 | 1 | 2, string>>): string =>
  `\nExit codes:\n${([0, 1, 2] as const).map((c) => `  ${c}  ${codes[c]}`).join('\n')}`;
