import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PrintTarget } from '../../shared/compose/print/batch';
import type { ByteSink } from '../../shared/compose/print/pdf-writer';

const BUFFER = 1 << 20;

/** A byte sink that writes a file through a 1 MB buffer. */
class FileSink implements ByteSink {
  private buf = new Uint8Array(BUFFER);
  private used = 0;
  constructor(private readonly fd: number) {}
  write(chunk: Uint8Array): void {
    if (chunk.length >= BUFFER) {
      this.flush();
      writeSync(this.fd, chunk);
      return;
    }
    if (this.used + chunk.length > BUFFER) this.flush();
    this.buf.set(chunk, this.used);
    this.used += chunk.length;
  }
  flush(): void {
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.buf, off, this.used - off);
    this.used = 0;
  }
}

/**
 * Output files written under a temporary name and renamed when complete, so a crash or a failed job never
 * leaves a half-written PDF that looks finished. `single` is the output path; split mode writes into `dir`.
 */
export function fileTarget(opts: { single: string } | { dir: string }): PrintTarget & { paths: Map<string, string>; abortAll(): void } {
  const open = new Map<string, { fd: number; sink: FileSink; tmp: string; final: string }>();
  const paths = new Map<string, string>();
  const finalPath = (name: string | undefined) => ('single' in opts ? opts.single : join(opts.dir, name ?? 'output.pdf'));
  const close = (name: string | undefined, keep: boolean) => {
    const k = name ?? '';
    const f = open.get(k);
    if (!f) return;
    open.delete(k);
    if (keep) f.sink.flush();
    closeSync(f.fd);
    if (keep) {
      renameSync(f.tmp, f.final);
      paths.set(k, f.final);
    } else rmSync(f.tmp, { force: true });
  };
  return {
    paths,
    open(name) {
      const final = finalPath(name);
      mkdirSync(dirname(final), { recursive: true });
      const tmp = `${final}.partial-${process.pid}`;
      const fd = openSync(tmp, 'w');
      const sink = new FileSink(fd);
      open.set(name ?? '', { fd, sink, tmp, final });
      return sink;
    },
    commit: (name) => close(name, true),
    abort: (name) => close(name, false),
    abortAll() {
      for (const k of [...open.keys()]) close(k === '' ? undefined : k, false);
    },
  };
}
