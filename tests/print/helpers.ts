import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzlibSync } from 'fflate';
import { prepareImage } from '../../shared/compose/print/images';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SAMPLE = join(ROOT, 'assets/sample-campaign');
export const CUSTOMERS = join(SAMPLE, 'data/customers.csv');

/** Run the real CLI (bin/presswork.mjs) and return its exit code and output. */
export function cli(args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/presswork.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, ...env },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const tool = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });

/** Decode a PNG (as written by pdftoppm) to RGB pixels. */
export function readPng(path: string): { width: number; height: number; rgb: Uint8Array } {
  const img = prepareImage(new Uint8Array(readFileSync(path)), path);
  let data = img.data;
  if (img.filter === 'FlateDecode') data = unzlibSync(img.data);
  if (img.extra.includes('Predictor')) {
    // Straight PNG data: undo the per-row filters (8-bit RGB).
    const stride = img.width * 3;
    const out = new Uint8Array(img.height * stride);
    for (let y = 0; y < img.height; y++) {
      const f = data[y * (stride + 1)]!;
      for (let x = 0; x < stride; x++) {
        const raw = data[y * (stride + 1) + 1 + x]!;
        const a = x >= 3 ? out[y * stride + x - 3]! : 0;
        const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
        const c = y > 0 && x >= 3 ? out[(y - 1) * stride + x - 3]! : 0;
        const p = a + b - c;
        const pr =
          Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
        out[y * stride + x] = (raw + [0, a, b, (a + b) >> 1, pr][f]!) & 0xff;
      }
    }
    data = out;
  }
  return { width: img.width, height: img.height, rgb: data };
}
