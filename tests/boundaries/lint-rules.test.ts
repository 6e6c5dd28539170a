import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Proves the import-zone rules fire: code placed in shared/ that reaches for Node, Electron, React, fabric,
 * SQLite, clocks or randomness is a lint error, and the same code in server/ is not.
 */
async function lint(filePath: string, code: string) {
  // The fixture is not a file of any tsconfig project, so lint it without type information
  // (the boundary rules need none); every other rule and file pattern is the project's own config.
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: {
      languageOptions: { parserOptions: { project: null } },
      rules: { '@typescript-eslint/no-floating-promises': 'off' },
    },
  });
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId?.startsWith('no-restricted')).map((m) => `${m.line}:${m.ruleId}`);
}

const forbidden = [
  `import { readFileSync } from 'node:fs';`,
  `import path from 'path';`,
  `import { app } from 'electron';`,
  `import { useState } from 'react';`,
  `import { Canvas } from 'fabric';`,
  `import Database from 'better-sqlite3';`,
  `export const t = Date.now();`,
  `export const r = Math.random();`,
  `export const d = new Date();`,
  `setTimeout(() => undefined, 1);`,
  `export const f = fetch;`,
].join('\n');

describe('boundary lint rules', () => {
  it('reject Node, Electron, React, fabric, SQLite, clocks, randomness and timers in shared/', async () => {
    const found = await lint('shared/model/__lint_fixture__.ts', forbidden);
    expect(found).toEqual([
      '1:no-restricted-imports',
      '2:no-restricted-imports',
      '3:no-restricted-imports',
      '4:no-restricted-imports',
      '5:no-restricted-imports',
      '6:no-restricted-imports',
      '7:no-restricted-properties',
      '8:no-restricted-properties',
      '9:no-restricted-syntax',
      '10:no-restricted-globals',
      '11:no-restricted-globals',
    ]);
  }, 120_000);

  it('allow the same imports in server/', async () => {
    const found = await lint(
      'server/__lint_fixture__.ts',
      `import { readFileSync } from 'node:fs';\nimport Database from 'better-sqlite3';\nexport const t = Date.now();\n`,
    );
    expect(found).toEqual([]);
  }, 120_000);

  it('keep the preload to shared/ipc and the renderer away from Node and main', async () => {
    expect(await lint('preload/__lint_fixture__.ts', `import { x } from '../shared/model';\n`)).toEqual(['1:no-restricted-imports']);
    expect(await lint('renderer/__lint_fixture__.ts', `import fs from 'node:fs';\nimport { y } from '../main/window';\n`)).toEqual([
      '1:no-restricted-imports',
      '2:no-restricted-imports',
    ]);
    expect(await lint('main/__lint_fixture__.ts', `import { z } from '../server/app';\n`)).toEqual(['1:no-restricted-imports']);
  }, 120_000);
});
