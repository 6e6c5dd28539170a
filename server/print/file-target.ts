import { closeSync, linkSync, mkdirSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { numberedName, type PrintTarget } from '../../shared/compose/print/batch';
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
 * leaves a half-written PDF that looks finished. `single` is the output path (replaced when it exists); split mode
 * writes into `dir` and never replaces a file: a name already taken gets a numbered suffix (`name-2.pdf`), and
 * commit returns the name used. `abortAll` deletes the files being written; `removeCommitted` the finished ones.
 */
export function fileTarget(
  opts: { single: string } | { dir: string },
): PrintTarget & { paths: Map<string, string>; abortAll(): void; removeCommitted(): void } {
  const open = new Map<string, { fd: number; sink: FileSink; tmp: string; final: string }>();
  const paths = new Map<string, string>();
  const finalPath = (name: string | undefined) => ('single' in opts ? opts.single : join(opts.dir, name ?? 'output.pdf'));
  /** Split mode: move tmp to the first free name from `name` on (a hard link fails rather than replace). */
  const place = (tmp: string, name: string): string => {
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? name : numberedName(name, n);
      try {
        linkSync(tmp, join((opts as { dir: string }).dir, candidate));
        unlinkSync(tmp);
        return candidate;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  };
  const close = (name: string | undefined, keep: boolean): string | undefined => {
    const k = name ?? '';
    const f = open.get(k);
    if (!f) return undefined;
    open.delete(k);
    try {
      if (keep) f.sink.flush();
    } finally {
      closeSync(f.fd);
    }
    if (!keep) {
      rmSync(f.tmp, { force: true });
      return undefined;
    }
    if ('single' in opts || name === undefined) {
      renameSync(f.tmp, f.final);
      paths.set(k, f.final);
      return name;
    }
    const written = place(f.tmp, name);
    paths.set(written, join(opts.dir, written));
    return written;
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
    abort: (name) => void close(name, false),
    abortAll() {
      for (const k of [...open.keys()]) close(k === '' ? undefined : k, false);
    },
    removeCommitted() {
      for (const p of paths.values()) rmSync(p, { force: true });
      paths.clear();
    },
  };
}
