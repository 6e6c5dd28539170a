// `node --import ./tests/support/record-modules.mjs …`: appends every module URL the process resolves to the file
// named by $PRESSWORK_RECORD_MODULES, one per line (tests use it to see what a command loads).
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.PRESSWORK_RECORD_MODULES, r.url + '\\n');
  return r;
}`)}`,
);
