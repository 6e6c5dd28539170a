/**
 * Writes docs/template.schema.json: the JSON Schema (draft 2020-12) of a Presswork template document,
 * generated from the zod schemas in shared/model so that it can never disagree with them.
 *
 *   npm run schema            (= tsx scripts/generate-json-schema.ts)
 *
 * The schema describes the *input* form (`io: 'input'`): fields that have defaults are optional. It describes
 * the package form of template.json, where every asset has its `sha256` and `bytes`; in the folder form those
 * two are filled in from the files on load. Cross-references (unknown swatch ids, Liquid that names unknown
 * fields, ...) are checked by Presswork's validator, not by the JSON Schema. tests/docs/json-schema.test.ts
 * fails when the committed file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { z } from 'zod';
import { CURRENT_FORMAT_VERSION, TemplateDocumentSchema } from '../shared/model/document';

export const SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '../docs/template.schema.json');

/** The schema as an object: zod's conversion plus an id, a title and a description. */
export function templateJsonSchema(): Record<string, unknown> {
  // `unrepresentable: 'any'`: parts JSON Schema cannot express (e.g. transforms' outputs) become `{}`
  // instead of throwing. The recursive group element comes out as a `$defs` entry referenced with `$ref`.
  const generated = z.toJSONSchema(TemplateDocumentSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: 'https://presswork.example/schemas/template.schema.json',
    title: `Presswork template document (format version ${CURRENT_FORMAT_VERSION})`,
    description:
      'The template.json of a Presswork template package. Generated from shared/model by scripts/generate-json-schema.ts; do not edit. See docs/template-format.md.',
    ...rest,
  };
}

/** The file's text, formatted as the repository's prettier config formats JSON. */
export async function templateJsonSchemaText(): Promise<string> {
  const options = (await prettier.resolveConfig(SCHEMA_PATH)) ?? {};
  return prettier.format(JSON.stringify(templateJsonSchema(), null, 2), { ...options, parser: 'json' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_PATH, await templateJsonSchemaText(), 'utf8');
  console.log(`generate-json-schema: wrote ${SCHEMA_PATH}`);
}
