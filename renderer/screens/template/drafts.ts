import type { Bridge } from '../../bridge/types';
import type { TemplateDocument } from '../../../shared/model/document';

/**
 * The editor's draft journal on the renderer side: every document change is sent to main's
 * `template:autosave` (which validates it and journals it as a draft at once), coalesced so that at most
 * one call is in flight and the latest document always wins. Previews wait for `whenSaved()` before they
 * compose, so a proof never shows an older document than the canvas.
 */
export class DraftSaver {
  private latest: TemplateDocument | undefined;
  private sent: TemplateDocument | undefined;
  private running: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the oldest change not yet sent was made (ms since epoch), or undefined when nothing waits. */
  private pendingSince: number | undefined;
  savedAt: string | undefined;
  error: unknown;

  constructor(
    private readonly bridge: Bridge,
    private readonly templateId: string,
    initial: TemplateDocument,
    private readonly onSaved: () => void,
    private readonly delayMs = 300,
    /**
     * The promise behind "kill the app, nothing lost beyond the last second": however fast changes keep
     * coming (a long drag, held arrow keys), the oldest unsent change is sent within this many ms.
     */
    private readonly maxWaitMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {
    this.sent = initial;
  }

  /**
   * Note a new document; it is sent after a short pause (a drag's many steps send once), and never later
   * than `maxWaitMs` after the first change that is still unsent.
   */
  change(doc: TemplateDocument): void {
    if (doc === this.latest) return;
    this.latest = doc;
    const t = this.clock();
    this.pendingSince ??= t;
    clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.delayMs, this.pendingSince + this.maxWaitMs - t));
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  /** Send now whatever is pending; resolves when main has journalled the latest document. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    while (this.running) await this.running;
    const doc = this.latest;
    if (!doc || doc === this.sent) return;
    // Changes made from here on wait for the next round, timed from their own first change.
    this.pendingSince = undefined;
    this.running = this.bridge.call('template:autosave', { id: this.templateId, document: doc }).then(
      (r) => {
        this.sent = doc;
        this.savedAt = r.savedAt;
        this.error = undefined;
        this.onSaved();
      },
      (e: unknown) => {
        this.error = e;
        this.onSaved();
      },
    );
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
    if (this.latest !== this.sent && !this.error) await this.flush();
  }
}

const open = new Set<DraftSaver>();
export const registerDrafts = (d: DraftSaver): (() => void) => (open.add(d), () => void open.delete(d));
/** Resolves when every open editor's latest document has reached main. */
export const whenSaved = async (): Promise<void> => void (await Promise.all([...open].map((d) => d.flush())));
