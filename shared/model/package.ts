import { unzipSync, zipSync, strToU8, strFromU8, type Zippable } from 'fflate';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { TemplateDocument } from './document';
import { parseTemplateDocument } from './validate';
import type { ValidationIssue } from './issues';

/**
 * The template package: one zip holding `template.json` and its assets, each stored once under
 * `assets/<sha256>` whatever its name, so identical files are stored (and published) once.
 *
 * The *folder* form is what people write by hand: `template.json` next to an `assets/` folder,
 * with each asset's `name` a path inside `assets/`. Its `sha256` and `bytes` may be left out;
 * `completeManifest` fills them from the files.
 */

export const TEMPLATE_ENTRY = 'template.json';
const ASSET_ENTRY = /^assets\/([0-9a-f]{64})$/;

export interface PackageLimits {
  /** Largest package file accepted. */
  maxPackageBytes: number;
  /** Largest single file inside, uncompressed. */
  maxEntryBytes: number;
  /** Largest total of all files inside, uncompressed. */
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = {
  maxPackageBytes: 200 * 1024 * 1024,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxEntries: 2000,
};

export interface TemplatePackage {
  document: TemplateDocument;
  /** sha256 → bytes, one entry per distinct asset. */
  assets: Map<string, Uint8Array>;
}

export type PackageResult = { ok: true; pkg: TemplatePackage; migrations: string[] } | { ok: false; issues: ValidationIssue[] };

export const sha256Hex = (bytes: Uint8Array): string => bytesToHex(sha256(bytes));

/** An asset's sha256 as hex. Hosts may pass a native one (Node's crypto is ~15× faster than the pure-JS default). */
export type AssetHash = (bytes: Uint8Array) => string;

const problem = (path: string, code: string, message: string): ValidationIssue => ({ path, code, message });

/** Serialise a document to its canonical JSON text (stable key order as parsed; two-space indent). */
export const serializeDocument = (doc: TemplateDocument): string => `${JSON.stringify(doc, null, 2)}\n`;

/**
 * Write a package. Every asset the document lists must be in `assets` (by sha256);
 * the zip's entries have a fixed date so the same template always produces the same bytes.
 */
export function writeTemplatePackage(pkg: TemplatePackage): Uint8Array {
  const files: Zippable = {};
  const mtime = new Date(Date.UTC(2000, 0, 1));
  files[TEMPLATE_ENTRY] = [strToU8(serializeDocument(pkg.document)), { mtime }];
  for (const asset of pkg.document.assets) {
    const bytes = pkg.assets.get(asset.sha256);
    if (!bytes) throw new Error(`asset "${asset.id}" (${asset.name}) has no bytes to write`);
    const already = files[`assets/${asset.sha256}`];
    if (already) continue;
    // Fonts and images are already compressed more often than not; level 6 costs little either way.
    files[`assets/${asset.sha256}`] = [bytes, { mtime, level: asset.mediaType.startsWith('font/') ? 6 : 0 }];
  }
  return zipSync(files, { level: 6 });
}

/** Names that must never be written outside the extraction folder (zip-slip) or that we do not know. */
const unsafeName = (name: string): string | undefined => {
  if (name.includes('\\')) return 'contains a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').some((s) => s === '..' || s === '.')) return 'contains a ".." or "." path segment';
  if (name.includes('\0')) return 'contains a NUL character';
  return undefined;
};

/** Read and fully check a package: size limits, safe names, hashes, then the document itself. */
export function readTemplatePackage(
  bytes: Uint8Array,
  limits: PackageLimits = DEFAULT_PACKAGE_LIMITS,
  hash: AssetHash = sha256Hex,
): PackageResult {
  if (bytes.length > limits.maxPackageBytes)
    return {
      ok: false,
      issues: [problem('(package)', 'too-large', `the package is ${bytes.length} bytes; the limit is ${limits.maxPackageBytes}`)],
    };
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b)
    return {
      ok: false,
      issues: [problem('(package)', 'not-a-zip', 'the file is not a zip archive; a template package is a .zip holding template.json')],
    };

  const issues: ValidationIssue[] = [];
  let entries = 0;
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        entries += 1;
        total += f.originalSize;
        const unsafe = unsafeName(f.name);
        if (unsafe) {
          issues.push(problem(f.name, 'unsafe-path', `entry name ${unsafe}; the package was refused`));
          return false;
        }
        if (f.name.endsWith('/')) return false;
        if (f.name !== TEMPLATE_ENTRY && !ASSET_ENTRY.test(f.name)) {
          issues.push(problem(f.name, 'unexpected-entry', 'unexpected file; a package holds only template.json and assets/<sha256>'));
          return false;
        }
        if (f.originalSize > limits.maxEntryBytes) {
          issues.push(problem(f.name, 'too-large', `${f.originalSize} bytes uncompressed; the limit per file is ${limits.maxEntryBytes}`));
          return false;
        }
        return entries <= limits.maxEntries && total <= limits.maxTotalBytes;
      },
    });
  } catch (e) {
    return {
      ok: false,
      issues: [problem('(package)', 'corrupt-zip', `the zip archive is damaged: ${e instanceof Error ? e.message : String(e)}`)],
    };
  }
  if (entries > limits.maxEntries)
    issues.push(problem('(package)', 'too-many-entries', `${entries} files; the limit is ${limits.maxEntries}`));
  if (total > limits.maxTotalBytes)
    issues.push(problem('(package)', 'too-large', `${total} bytes uncompressed; the limit is ${limits.maxTotalBytes}`));
  if (issues.length) return { ok: false, issues };

  const json = files[TEMPLATE_ENTRY];
  if (!json) return { ok: false, issues: [problem(TEMPLATE_ENTRY, 'missing', 'the package has no template.json')] };
  let raw: unknown;
  try {
    raw = JSON.parse(strFromU8(json));
  } catch (e) {
    return { ok: false, issues: [problem(TEMPLATE_ENTRY, 'bad-json', `not valid JSON: ${e instanceof Error ? e.message : String(e)}`)] };
  }
  const parsed = parseTemplateDocument(raw);
  if (!parsed.ok) return parsed;

  const assets = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(files)) {
    const m = ASSET_ENTRY.exec(name);
    if (!m?.[1]) continue;
    const actual = hash(data);
    if (actual !== m[1]) issues.push(problem(name, 'hash-mismatch', `content hash is ${actual}; the file is damaged or was edited`));
    else assets.set(actual, data);
  }
  parsed.document.assets.forEach((a, i) => {
    const data = assets.get(a.sha256);
    if (!data)
      issues.push(problem(`assets[${i}]`, 'missing-asset', `"${a.name}" (${a.sha256.slice(0, 12)}…) is listed but not in the package`));
    else if (data.length !== a.bytes)
      issues.push(problem(`assets[${i}].bytes`, 'size-mismatch', `says ${a.bytes} bytes, the file has ${data.length}`));
  });
  const listed = new Set(parsed.document.assets.map((a) => a.sha256));
  for (const sha of assets.keys())
    if (!listed.has(sha))
      issues.push(problem(`assets/${sha}`, 'unlisted-asset', 'file is in the package but not listed in template.json assets'));
  if (issues.length) return { ok: false, issues };
  return { ok: true, pkg: { document: parsed.document, assets }, migrations: parsed.migrations };
}

/** Pixel size and media type sniffed from the first bytes of a PNG or JPEG; undefined for anything else. */
export function sniffImage(bytes: Uint8Array): { mediaType: string; width: number; height: number } | undefined {
  const u32 = (o: number) => ((bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!) >>> 0;
  if (bytes.length > 24 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return { mediaType: 'image/png', width: u32(16), height: u32(20) };
  if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let o = 2;
    while (o + 9 < bytes.length) {
      if (bytes[o] !== 0xff) return undefined;
      const marker = bytes[o + 1]!;
      const len = (bytes[o + 2]! << 8) | bytes[o + 3]!;
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return { mediaType: 'image/jpeg', height: (bytes[o + 5]! << 8) | bytes[o + 6]!, width: (bytes[o + 7]! << 8) | bytes[o + 8]! };
      o += 2 + len;
    }
  }
  return undefined;
}

/**
 * Folder form → package: fill each asset's sha256 and byte count (and pixel size for PNG/JPEG) from the
 * files under `assets/`, then parse. `files` maps a path relative to the folder (e.g. `assets/fonts/x.ttf`) to bytes.
 */
export function packageFromFolder(
  rawTemplate: unknown,
  files: ReadonlyMap<string, Uint8Array>,
  hash: AssetHash = sha256Hex,
): PackageResult {
  const issues: ValidationIssue[] = [];
  const assets = new Map<string, Uint8Array>();
  let raw = rawTemplate;
  if (typeof raw === 'object' && raw !== null && Array.isArray((raw as { assets?: unknown }).assets)) {
    const list = (raw as { assets: unknown[] }).assets.map((entry, i) => {
      if (typeof entry !== 'object' || entry === null) return entry;
      const a = entry as Record<string, unknown>;
      if (typeof a.name !== 'string') return entry;
      const unsafe = unsafeName(a.name);
      if (unsafe) {
        issues.push(problem(`assets[${i}].name`, 'unsafe-path', `asset name ${unsafe}`));
        return entry;
      }
      const data = files.get(`assets/${a.name}`);
      if (!data) {
        issues.push(problem(`assets[${i}].name`, 'missing-asset', `no file at assets/${a.name} in the template folder`));
        return entry;
      }
      const sha = hash(data);
      if (typeof a.sha256 === 'string' && a.sha256 !== sha)
        issues.push(
          problem(`assets[${i}].sha256`, 'hash-mismatch', `assets/${a.name} hashes to ${sha}; remove "sha256" to have it recomputed`),
        );
      assets.set(sha, data);
      const img = sniffImage(data);
      return {
        ...a,
        sha256: sha,
        bytes: data.length,
        ...(img && a.pixels === undefined ? { pixels: { width: img.width, height: img.height } } : {}),
      };
    });
    raw = { ...(raw as object), assets: list };
  }
  if (issues.length) return { ok: false, issues };
  const parsed = parseTemplateDocument(raw);
  if (!parsed.ok) return parsed;
  return { ok: true, pkg: { document: parsed.document, assets }, migrations: parsed.migrations };
}
