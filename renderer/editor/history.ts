import type { TemplateDocument } from '../../shared/model/document';

/**
 * Undo/redo as snapshots of the (immutable, structurally shared) document. Each entry holds the document
 * before and after one user-level step; undo restores `before` exactly, redo restores `after` exactly.
 *
 * - `record` starts a new step.
 * - `squash` merges into the step opened by the latest `mark()` (or into the last step when no mark is
 *   open): a drag is `mark('move')` then many squashed updates — one undo step.
 * - `ignore` changes the document without touching history (for transient states that a later recorded
 *   step will cover; undoing past it restores the snapshot before it).
 */
export type HistoryMode = 'record' | 'squash' | 'ignore';

export interface HistoryEntry {
  label: string;
  before: TemplateDocument;
  after: TemplateDocument;
}

interface OpenMark {
  label: string;
  before: TemplateDocument;
  /** The undo entry this mark has produced so far, if any. */
  entry: HistoryEntry | undefined;
}

export class History {
  private undoStack: HistoryEntry[] = [];
  private redoStack: HistoryEntry[] = [];
  private open: OpenMark | undefined;

  constructor(private readonly limit = 500) {}

  /** Open a step boundary: following `squash` changes become one undo step labelled `label`. */
  mark(label: string, current: TemplateDocument): void {
    this.open = { label, before: current, entry: undefined };
  }

  /** The document at the open mark, if one is open (to cancel a gesture). */
  markedDocument(): TemplateDocument | undefined {
    return this.open?.before;
  }

  /** Close the open mark (a gesture ended). */
  closeMark(): void {
    this.open = undefined;
  }

  /** Forget the step the open mark produced (a gesture was cancelled); returns the document to restore. */
  bail(): TemplateDocument | undefined {
    const open = this.open;
    this.open = undefined;
    if (!open) return undefined;
    if (open.entry && this.undoStack[this.undoStack.length - 1] === open.entry) this.undoStack.pop();
    return open.before;
  }

  commit(mode: HistoryMode, label: string, before: TemplateDocument, after: TemplateDocument): void {
    if (mode === 'ignore') return;
    if (mode === 'record') {
      this.open = undefined;
      this.push({ label, before, after });
      return;
    }
    const open = this.open;
    if (open) {
      if (open.entry && this.undoStack[this.undoStack.length - 1] === open.entry) {
        open.entry.after = after;
        this.redoStack = [];
      } else {
        open.entry = { label: open.label, before: open.before, after };
        this.push(open.entry);
      }
      return;
    }
    const last = this.undoStack[this.undoStack.length - 1];
    if (last && last.after === before) {
      last.after = after;
      this.redoStack = [];
    } else this.push({ label, before, after });
  }

  private push(entry: HistoryEntry): void {
    this.undoStack.push(entry);
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack = [];
  }

  undo(): HistoryEntry | undefined {
    this.open = undefined;
    const e = this.undoStack.pop();
    if (e) this.redoStack.push(e);
    return e;
  }

  redo(): HistoryEntry | undefined {
    this.open = undefined;
    const e = this.redoStack.pop();
    if (e) this.undoStack.push(e);
    return e;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }
  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }
  /** Labels of the undo steps, oldest first (for a history menu). */
  get undoLabels(): string[] {
    return this.undoStack.map((e) => e.label);
  }
  get redoLabels(): string[] {
    return this.redoStack.map((e) => e.label).reverse();
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
    this.open = undefined;
  }
}
