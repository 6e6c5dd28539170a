// The CLI's compiled cache. Sources are TypeScript; loading them through tsx costs ~0.35 s of CPU before the
// first line of ours runs (its loader thread and esbuild), more than a `presswork --help` may take. So the CLI is
// compiled once with esbuild (bundled per command — each command's modules stay a chunk of their own that loads
// only when that command runs; npm packages are left to Node) into node_modules/.cache/presswork-cli/<checkout>/,
// and later runs import the compiled files as long as every source they came from is unchanged (same size and
// modification time; checked with one stat per source, a few milliseconds). A change rebuilds on the next run.
//
// Anything unusual (esbuild missing, the cache not writable, PRESSWORK_CLI_CACHE=off) falls back to tsx, the
// way the CLI always ran. `import.meta.url` in a source keeps meaning that source's own location (the compiled
// code is elsewhere), so file paths relative to a source — the worker entry, the sample campaign — still work.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = 'server/cli/main.ts';
/** Bump when the build options below change, so older caches are not used. */
const BUILD_VERSION = 1;
/** Configuration that changes what esbuild emits without being an input it reports. */
/**
 * Pure-JS packages that validate and --help need, compiled in with our code: Node then loads one file instead of
 * hundreds (zod) and does not scan a CommonJS build for its exports (liquidjs). Every other package is Node's.
 */
const BUNDLED = new Set(['zod', 'liquidjs', '@noble/hashes', 'fflate', 'commander']);
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.base.json', 'tsconfig.node.json', 'bin/compiled-cli.mjs'];

/** FNV-1a, as hex: names the cache of this checkout (node:crypto would cost ~8 ms to load). */
const fnv = (s) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
};

const cacheDir = () => join(ROOT, 'node_modules', '.cache', 'presswork-cli', fnv(ROOT));

const stamp = (path) => {
  const s = statSync(join(ROOT, path));
  return `${s.size}:${s.mtimeMs}`;
};

/** The compiled entry if the cache holds a build of exactly the current sources, else undefined. */
function cachedEntry(dir) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest.version !== BUILD_VERSION) return undefined;
  try {
    for (const [path, s] of Object.entries(manifest.inputs)) if (stamp(path) !== s) return undefined;
  } catch {
    return undefined;
  }
  return join(dir, manifest.build, 'main.js');
}

/** Compile the CLI into a new build folder and make it the current one; returns the compiled entry. */
async function build(dir) {
  const esbuild = await import('esbuild');
  const work = join(dir, `tmp-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  // `import.meta.url` → the source's own URL, so that paths relative to a source still resolve from the source.
  const sourceUrls = {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
        if (args.path.includes(`${'/'}node_modules${'/'}`)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
      });
    },
  };
  const packages = {
    name: 'external-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        const parts = args.path.split('/');
        const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        return BUNDLED.has(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
  try {
    const stampsBefore = Object.fromEntries(CONFIG_FILES.map((f) => [f, stamp(f)]));
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: { main: ENTRY },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      mainFields: ['module', 'main'],
      // CommonJS packages compiled in (commander) require Node built-ins.
      banner: { js: "import { createRequire as __pwRequire } from 'node:module'; const require = __pwRequire(import.meta.url);" },
      outdir: work,
      metafile: true,
      sourcemap: 'linked',
      tsconfig: 'tsconfig.node.json',
      logLevel: 'silent',
      plugins: [packages, sourceUrls],
    });
    const inputs = { ...stampsBefore };
    for (const path of Object.keys(result.metafile.inputs)) {
      // A package compiled in is checked by its package.json (its version), not file by file.
      const pkg = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path);
      const p = pkg ? `${pkg[1]}/package.json` : path;
      inputs[p] ??= stamp(p);
    }
    const json = JSON.stringify(inputs);
    const name = `b-${fnv(json)}${fnv(json.split('').reverse().join(''))}`;
    try {
      renameSync(work, join(dir, name));
    } catch {
      rmSync(work, { recursive: true, force: true }); // another run built the same sources first
    }
    const tmp = join(dir, `current.json.${process.pid}`);
    writeFileSync(tmp, JSON.stringify({ version: BUILD_VERSION, root: ROOT, build: name, inputs }));
    renameSync(tmp, join(dir, 'current.json'));
    prune(dir, name);
    return join(dir, name, 'main.js');
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
}

/** Older builds go after a day (a long-running `serve` started from one has long loaded its files). */
function prune(dir, keep) {
  for (const d of readdirSync(dir)) {
    if (d === keep || d.startsWith('current.json')) continue;
    try {
      if (Date.now() - statSync(join(dir, d)).mtimeMs > 86_400_000) rmSync(join(dir, d), { recursive: true, force: true });
    } catch {
      // gone already
    }
  }
}

/** The CLI's `main`: from the compiled cache (built if needed), or through tsx. */
export async function loadCli() {
  if (process.env.PRESSWORK_CLI_CACHE !== 'off') {
    const dir = cacheDir();
    let entry = cachedEntry(dir);
    if (!entry) {
      try {
        entry = await build(dir);
      } catch (e) {
        if (process.env.PRESSWORK_CLI_CACHE === 'debug') process.stderr.write(`presswork: compiled CLI unavailable (${e}); using tsx\n`);
      }
    }
    if (entry) return import(pathToFileURL(entry).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../server/cli/main.ts');
}
