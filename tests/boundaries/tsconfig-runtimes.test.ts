import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Compile one snippet under a runtime's tsconfig and return the diagnostics' codes and messages. */
function compile(config: string, code: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(root, config),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!parsed) throw new Error(`cannot read ${config}`);
  const fileName = join(root, 'shared', '__runtime_fixture__.ts');
  const host = ts.createCompilerHost(parsed.options);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang) => (name === fileName ? ts.createSourceFile(name, code, lang) : original(name, lang));
  const program = ts.createProgram([fileName, join(root, 'shared', 'env.d.ts')], parsed.options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

describe('per-runtime tsconfigs', () => {
  it('shared/ cannot see DOM or Node globals', () => {
    const errors = compile(
      'tsconfig.shared.json',
      `export const a = document.title;\nexport const b = process.env.HOME;\nexport const c = window.innerWidth;\n`,
    );
    expect(errors.join('\n')).toMatch(/Cannot find name 'document'/);
    expect(errors.join('\n')).toMatch(/Cannot find name 'process'/);
    expect(errors.join('\n')).toMatch(/Cannot find name 'window'/);
  }, 60_000);

  it('shared/ may use the web-standard TextDecoder', () => {
    expect(compile('tsconfig.shared.json', `export const t = new TextDecoder('utf-8').decode(new Uint8Array([104, 105]));\n`)).toEqual([]);
  }, 60_000);

  it('node code sees Node but not the DOM', () => {
    const errors = compile('tsconfig.node.json', `export const b = process.env.HOME;\nexport const a = document.title;\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Cannot find name 'document'/);
  }, 60_000);
});
