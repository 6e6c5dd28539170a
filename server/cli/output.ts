import type { ValidationIssue } from '../../shared/model/issues';

export const writeOut = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
export const writeErr = (s: string): void => void process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);

/** Issues as lines `path: message`, grouped under a heading, for people. */
export function formatIssues(source: string, issues: readonly ValidationIssue[]): string {
  const head = `${source}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`;
  return [head, ...issues.map((i) => `  ${i.path}: ${i.message}`)].join('\n');
}
