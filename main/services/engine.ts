import mjml from 'mjml';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EmailProof, PrintProof } from '../../shared/ipc/contract';
import { StudioError } from '../../shared/ipc/errors';
import type { TemplateDocument } from '../../shared/model/document';
import { compileRules } from '../../shared/rules/engine';
import { Worker } from 'node:worker_threads';
import type { WorkerSpec } from './jobs';
import type { ProofReply, ProofRequest } from '../workers/proof-protocol';
import { prepareEmail, type PreparedEmail } from '../../shared/compose/email/compose';
import type { TemplateSession } from './templates';

export { memoryTarget } from './memory-target';

/** The proof worker beside the batch worker: `batch-worker(.js|-dev.mjs)` → `proof-worker(.js|-dev.mjs)`. */
export const proofWorkerSpec = (batch: WorkerSpec): WorkerSpec => ({
  url: new URL(batch.url.href.replace(/batch-worker([^/]*)$/, 'proof-worker$1')),
  execArgv: batch.execArgv,
});

/**
 * One long-lived worker thread for print proofs: main's event loop stays free while a proof composes (a
 * first proof takes seconds on a busy machine), so autosaves reach the draft journal meanwhile. Requests
 * queue in the worker; a crashed worker fails its pending proofs and is replaced on the next one.
 */
class ProofWorker {
  private worker: Worker | undefined;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (r: ProofReply) => void; reject: (e: Error) => void }>();

  constructor(private readonly spec: WorkerSpec) {}

  run(req: Omit<ProofRequest, 'id'>): Promise<ProofReply> {
    const w = this.ensure();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ ...req, id } satisfies ProofRequest);
    });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.spec.url, { execArgv: this.spec.execArgv });
    w.unref(); // never keeps the app (or a test) alive
    w.on('message', (r: ProofReply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      p?.resolve(r);
    });
    const fail = (e: Error) => {
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the proof worker stopped (exit code ${code})`)));
    this.worker = w;
    return w;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

/** The injected clock as the engine wants it. */
export const todayOf = (d: Date): string => d.toISOString().slice(0, 10);
export const pdfDateOf = (d: Date): string => `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

/** MJML runs here in main (Node), never in the renderer. */
const compileMjml = async (source: string) => {
  const r = await mjml(source, { validationLevel: 'soft', keepComments: false });
  return { html: r.html, errors: r.errors };
};

/** The preview is self-contained: the sandboxed frame may load nothing from outside, so images are inlined. */
const ASSET_STANDIN = 'https://studio-asset.invalid/';
/** Presswork's social icons (assets/email-icons), as the server and `compose email` link them; read once. */
const ICON_DIR = fileURLToPath(new URL('../../assets/email-icons/', import.meta.url));
const icons = new Map<string, Uint8Array>();
const iconBytes = (network: string): Uint8Array | undefined => {
  if (!icons.has(network) && existsSync(`${ICON_DIR}${network}.png`))
    icons.set(network, new Uint8Array(readFileSync(`${ICON_DIR}${network}.png`)));
  return icons.get(network);
};
const ICON_PREFIX = 'pw-icon-';
const inlineAssets = (html: string, s: TemplateSession): string =>
  html.replace(/https:\/\/studio-asset\.invalid\/([A-Za-z0-9_.-]+)/g, (m, id: string) => {
    if (id.startsWith(ICON_PREFIX)) {
      const icon = iconBytes(id.slice(ICON_PREFIX.length));
      return icon ? dataUrl('image/png', icon) : m;
    }
    const a = s.document.assets.find((x) => x.id === id);
    const bytes = a ? s.assets.get(a.sha256) : undefined;
    return a && bytes ? dataUrl(a.mediaType, bytes) : m;
  });
const dataUrl = (mediaType: string, bytes: Uint8Array) => `data:${mediaType};base64,${Buffer.from(bytes).toString('base64')}`;

/**
 * Previews and single-record exports through the one engine (shared/rules + shared/compose), the same code
 * the server runs. Print proofs compose in a long-lived worker thread; batches in a worker per job.
 */
export class EngineService {
  private readonly emailCache = new WeakMap<TemplateDocument, Promise<PreparedEmail>>();

  private readonly proofs: ProofWorker;

  constructor(
    private readonly now: () => Date,
    worker: WorkerSpec,
  ) {
    this.proofs = new ProofWorker(proofWorkerSpec(worker));
  }

  close(): Promise<void> {
    return this.proofs.close();
  }

  async printProof(s: TemplateSession, record: Record<string, unknown>, row: number): Promise<PrintProof> {
    const doc = s.document;
    if (!doc.print) throw new StudioError('no-print-channel', 'This template has no print pages; add a page to see a print proof.');
    const started = performance.now();
    const now = this.now();
    let reply: ProofReply;
    try {
      reply = await this.proofs.run({
        document: doc,
        assets: s.assets,
        row,
        record,
        today: todayOf(now),
        title: `${doc.name} — proof, row ${row}`,
        creationDate: pdfDateOf(now),
      });
    } catch (e) {
      throw new StudioError('proof-worker-failed', `The print proof could not be composed (${(e as Error).message}); try again.`);
    }
    if (!reply.ok) throw new StudioError(reply.code, `Row ${row} cannot be composed: ${reply.message}.`);
    const summary = reply.summary;
    if (!summary.ok) {
      const f = summary.failure;
      throw new StudioError(
        f?.code ?? 'compose-failed',
        `Row ${row} cannot be composed: ${f?.reason ?? 'unknown reason'}${f?.elementId ? ` (element "${f.elementId}")` : ''}.`,
      );
    }
    const overflow: PrintProof['overflow'] = [];
    for (const r of summary.overflow.records) {
      if (r.status !== 'overflow' && r.status !== 'clipped') continue;
      for (const [i, p] of doc.print.pages.entries()) {
        const el = p.elements.find((e) => e.id === r.elementId);
        if (el) overflow.push({ elementId: r.elementId, page: i, x: el.x, y: el.y, width: el.width, height: el.height });
      }
    }
    return {
      pdf: Buffer.from(reply.pdf).toString('base64'),
      pages: doc.print.pages.map((p, i) => ({
        name: p.name ?? `Page ${i + 1}`,
        trim: { width: p.width, height: p.height },
        bleed: p.bleed,
      })),
      overflow,
      millis: Math.round(performance.now() - started),
    };
  }

  /** The template's email, compiled once per document (previews and preflight share it). */
  prepared(s: TemplateSession): Promise<PreparedEmail> {
    const doc = s.document;
    let p = this.emailCache.get(doc);
    if (!p) {
      const assetsById = new Map(doc.assets.map((a) => [a.id as string, a]));
      const rules = compileRules(doc, { today: todayOf(this.now()) });
      p = prepareEmail(doc, rules, {
        compileMjml,
        // Stand-in URLs, swapped for data: URLs after rendering (inlining first would bloat the Liquid source).
        assetUrl: (id) => (assetsById.has(id) ? `${ASSET_STANDIN}${id}` : undefined),
        // The same icons as sent mail (the block falls back to text links where the icon files are absent).
        iconUrl: (network) => (iconBytes(network) ? `${ASSET_STANDIN}${ICON_PREFIX}${network}` : undefined),
      });
      this.emailCache.set(doc, p);
    }
    return p;
  }

  async emailProof(s: TemplateSession, record: Record<string, unknown>, row: number): Promise<EmailProof> {
    if (!s.document.email)
      throw new StudioError('no-email-channel', 'This template has no email channel; add one to see an email preview.');
    let prepared: PreparedEmail;
    try {
      prepared = await this.prepared(s);
    } catch (e) {
      throw new StudioError('email-build-failed', `The email could not be built: ${(e as Error).message}.`);
    }
    const r = prepared.compose(record, row, {
      builtins: { unsubscribe_url: 'https://example.invalid/unsubscribe-preview', view_online_url: 'https://example.invalid/view-preview' },
    });
    if (!r.ok) throw new StudioError(r.code, `Row ${row} gets no email: ${r.reason}.`);
    const e = r.email;
    return {
      subject: e.subject,
      preheader: e.preheader,
      from: `${e.from.name} <${e.from.email}>`,
      to: e.to ?? '(no address in this record)',
      html: inlineAssets(e.html, s),
      text: e.text,
    };
  }

  /** An RFC 5322 message (multipart/alternative) for one record, as it would be sent. */
  async eml(s: TemplateSession, record: Record<string, unknown>, row: number): Promise<string> {
    const p = await this.emailProof(s, record, row);
    const boundary = `presswork-${row}-${Buffer.from(p.subject).toString('hex').slice(0, 16)}`;
    const enc = (t: string) => `=?UTF-8?B?${Buffer.from(t).toString('base64')}?=`;
    const b64 = (t: string) => Buffer.from(t).toString('base64').replace(/.{76}/g, '$&\r\n');
    return [
      `From: ${p.from.replace(/^(.*) </, (_, n: string) => `${enc(n)} <`)}`,
      `To: ${p.to}`,
      `Subject: ${enc(p.subject)}`,
      `Date: ${this.now().toUTCString()}`,
      'MIME-Version: 1.0',
      'X-Unsent: 1',
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      b64(p.text),
      `--${boundary}`,
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      b64(p.html),
      `--${boundary}--`,
      '',
    ].join('\r\n');
  }
}
