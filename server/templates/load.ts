import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { packageFromFolder, readTemplatePackage, type PackageResult } from '../../shared/model/package';

/** Node's native sha256 for asset hashes (the engine's pure-JS one costs ~40 ms per MB of fonts and images). */
const nativeSha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Every file under `dir`, as paths relative to `root` with forward slashes. */
async function listFiles(root: string, dir: string, out: Map<string, Uint8Array>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await listFiles(root, full, out);
    else if (entry.isFile()) out.set(relative(root, full).split(sep).join('/'), new Uint8Array(await readFile(full)));
  }
}

/**
 * Load a template from a package (`.zip`) or a template folder (`template.json` + `assets/`).
 * Never throws for bad content: problems come back as issues with paths.
 */
export async function loadTemplate(path: string): Promise<PackageResult> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return { ok: false, issues: [{ path, code: 'not-found', message: 'no such file or folder' }] };
  }
  if (info.isDirectory()) {
    let text: string;
    try {
      text = await readFile(join(path, 'template.json'), 'utf8');
    } catch {
      return {
        ok: false,
        issues: [{ path: join(path, 'template.json'), code: 'not-found', message: 'a template folder must contain template.json' }],
      };
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      return { ok: false, issues: [{ path: 'template.json', code: 'bad-json', message: `not valid JSON: ${(e as Error).message}` }] };
    }
    const files = new Map<string, Uint8Array>();
    try {
      await listFiles(path, join(path, 'assets'), files);
    } catch {
      // A template without an assets folder is fine if it lists no assets; missing files are reported per asset.
    }
    return packageFromFolder(raw, files, nativeSha256);
  }
  return readTemplatePackage(new Uint8Array(await readFile(path)), undefined, nativeSha256);
}
