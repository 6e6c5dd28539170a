import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const here = import.meta.dirname;
export const ROOT = join(here, '..', '..');
export const SAMPLE = join(ROOT, 'assets', 'sample-campaign');
export const FIXTURE = join(here, 'fixtures', 'every-finding');

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Uint8Array) => {
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A small RGB PNG (a grey square with a dark diagonal), written from scratch: signature, IHDR, IDAT, IEND. */
export function lowResPng(size: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    out.set(data, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) raw.fill(x === y ? 40 : 200, y * (1 + size * 3) + 1 + x * 3, y * (1 + size * 3) + 4 + x * 3);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

/**
 * The every-finding fixture as a template folder in a temporary directory: template.json and data.csv from
 * tests/preflight/fixtures/every-finding, the Source Sans 3 font from the sample campaign (OFL), and a
 * 24×24 px PNG generated here (placed in a 1.5 in frame: 16 ppi).
 */
export async function everyFindingFolder(): Promise<{ template: string; data: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'presswork-preflight-'));
  const template = join(dir, 'template');
  await mkdir(join(template, 'assets', 'fonts'), { recursive: true });
  await mkdir(join(template, 'assets', 'images'), { recursive: true });
  await copyFile(join(FIXTURE, 'template.json'), join(template, 'template.json'));
  await copyFile(join(SAMPLE, 'assets', 'fonts', 'SourceSans3-Regular.otf'), join(template, 'assets', 'fonts', 'SourceSans3-Regular.otf'));
  await writeFile(join(template, 'assets', 'images', 'low-res.png'), lowResPng(24));
  const data = join(dir, 'data.csv');
  await copyFile(join(FIXTURE, 'data.csv'), data);
  return { template, data };
}
