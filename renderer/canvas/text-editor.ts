import type { TemplateDocument } from '../../shared/model/document';
import type { ElementOfType } from '../../shared/model/elements/schema';
import { elementMatrix, multiply, type Matrix } from '../../shared/ops';
import type { Editor } from '../editor/editor';
import { liquidPieces, tokenLabel, type EditedPart, type EditedParagraph } from '../editor/text-edit';
import { cssColor } from './colors';

/**
 * The in-place text editor: a contenteditable box laid exactly over a text frame (the frame's page matrix,
 * zoom and pan as one CSS transform, so it follows rotation), showing the frame's paragraphs and runs in
 * their styles. Liquid tokens are atomic chips showing the field name (`«first_name»`), so typing never
 * breaks a field. Escape cancels; Ctrl/Cmd+Enter or moving the focus away commits through the editor
 * (`commitTextEdit`: one undo step). Only the DOM is read back, as `EditedParagraph`s — never fabric.
 */
export interface TextEditorView {
  readonly id: string;
  /** Follow the frame (zoom, pan, a moved frame). */
  place(el: ElementOfType<'text'>, m: Matrix): void;
  dispose(): void;
}

export function openTextEditor(host: HTMLElement, editor: Editor, el: ElementOfType<'text'>, m: Matrix): TextEditorView {
  const doc = host.ownerDocument;
  const box = doc.createElement('div');
  box.contentEditable = 'true';
  box.spellcheck = false;
  box.setAttribute('role', 'textbox');
  box.setAttribute('aria-multiline', 'true');
  box.setAttribute('aria-label', 'Edit text (Escape cancels, Ctrl+Enter or click away commits)');
  box.dataset.testid = 'text-editor';
  box.className = 'canvas-text-editor';
  fill(box, editor.document, el);
  host.append(box);

  let done = false;
  const finish = (commit: boolean) => {
    if (done) return;
    done = true;
    if (commit) editor.commitTextEdit(readBack(box));
    else editor.cancelTextEdit();
  };
  // Keys and pointer input stay in the editor box (Backspace edits text, it does not delete the frame).
  const stop = (e: Event) => e.stopPropagation();
  box.addEventListener('pointerdown', stop);
  box.addEventListener('pointermove', stop);
  box.addEventListener('pointerup', stop);
  box.addEventListener('wheel', stop);
  box.addEventListener('keyup', stop);
  box.addEventListener('dblclick', stop);
  box.addEventListener('keydown', (e) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      finish(false);
      host.focus();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      finish(true);
      host.focus();
    }
  });
  // Plain text only: pasted styles would not survive the round trip to runs.
  box.addEventListener('paste', (e) => {
    e.preventDefault();
    doc.execCommand('insertText', false, e.clipboardData?.getData('text/plain') ?? '');
  });

  const view: TextEditorView = {
    id: el.id,
    place(next, matrix) {
      const { zoom, pan } = editor.session;
      const full = multiply(matrix, elementMatrix(next));
      box.style.width = `${Math.abs(next.width)}px`;
      box.style.height = `${Math.abs(next.height)}px`;
      box.style.transform = `matrix(${full[0] * zoom}, ${full[1] * zoom}, ${full[2] * zoom}, ${full[3] * zoom}, ${full[4] * zoom + pan.x}, ${full[5] * zoom + pan.y})`;
    },
    dispose() {
      done = true;
      box.remove();
    },
  };
  view.place(el, m);
  // Focus after the gesture that opened it (a double-click's own focus change must not commit at once);
  // from then on, the focus leaving the box (click-away) commits.
  setTimeout(() => {
    if (done) return;
    box.focus();
    const range = doc.createRange();
    range.selectNodeContents(box);
    range.collapse(false);
    doc.getSelection()?.removeAllRanges();
    doc.getSelection()?.addRange(range);
    box.addEventListener('focusout', () => finish(true));
  }, 0);
  return view;
}

/** Paragraph and run elements in the frame's styles (sizes in points: the box is scaled by the zoom). */
function fill(box: HTMLElement, doc: TemplateDocument, el: ElementOfType<'text'>): void {
  const d = box.ownerDocument;
  const font = (id: string) => doc.brand.fonts.find((f) => f.id === id);
  const base = font(el.style.font);
  Object.assign(box.style, {
    fontFamily: base ? `"${base.family}", sans-serif` : 'sans-serif',
    fontSize: `${el.style.size}px`,
    fontWeight: String(base?.weight ?? 400),
    fontStyle: base?.style === 'italic' ? 'italic' : 'normal',
    color: cssColor(doc, el.style.color) ?? '#000',
    lineHeight: String(el.leading),
    letterSpacing: `${el.style.tracking / 1000}em`,
    textAlign: el.align,
    padding: `${el.padding.top}px ${el.padding.right}px ${el.padding.bottom}px ${el.padding.left}px`,
  });
  el.paragraphs.forEach((p, i) => {
    const para = d.createElement('div');
    para.dataset.para = String(i);
    if (p.align) para.style.textAlign = p.align;
    para.style.marginTop = `${p.spaceBefore}px`;
    para.style.marginBottom = `${p.spaceAfter}px`;
    p.runs.forEach((run, j) => {
      const span = d.createElement('span');
      span.dataset.run = `${i},${j}`;
      const st = run.style;
      if (st?.font) {
        const f = font(st.font);
        if (f) span.style.fontFamily = `"${f.family}", sans-serif`;
      }
      if (st?.weight) span.style.fontWeight = String(st.weight);
      if (st?.italic !== undefined) span.style.fontStyle = st.italic ? 'italic' : 'normal';
      if (st?.size) span.style.fontSize = `${st.size}px`;
      if (st?.color) span.style.color = cssColor(doc, st.color) ?? '';
      if (st?.tracking !== undefined) span.style.letterSpacing = `${st.tracking / 1000}em`;
      if (st?.underline ?? el.style.underline) span.style.textDecoration = 'underline';
      for (const piece of liquidPieces(run.text)) {
        if (!piece.token) span.append(d.createTextNode(piece.text));
        else {
          const chip = d.createElement('span');
          chip.contentEditable = 'false';
          chip.className = 'canvas-text-field';
          chip.dataset.token = piece.text;
          chip.title = piece.text;
          chip.textContent = `«${tokenLabel(piece.text)}»`;
          span.append(chip);
        }
      }
      para.append(span);
    });
    if (!para.textContent) para.append(d.createElement('br'));
    box.append(para);
  });
}

/** The edited text as paragraphs of parts, each with the run it came from (by the nearest `data-run`). */
export function readBack(box: HTMLElement): EditedParagraph[] {
  const out: EditedParagraph[] = [];
  let loose: EditedParagraph | undefined;
  const partsOf = (node: Node, parts: EditedPart[], from: readonly [number, number] | undefined) => {
    if (node.nodeType === 3) {
      const text = (node.textContent ?? '').replace(/\u00a0/g, ' ').replace(/\u200b/g, '');
      if (text) parts.push(from ? { text, from } : { text });
      return;
    }
    if (!(node instanceof HTMLElement)) return;
    if (node.dataset.token) {
      parts.push(from ? { text: node.dataset.token, from } : { text: node.dataset.token });
      return;
    }
    const run = node.dataset.run?.split(',').map(Number);
    const here = run && run.length === 2 ? ([run[0]!, run[1]!] as const) : from;
    node.childNodes.forEach((c) => partsOf(c, parts, here));
  };
  box.childNodes.forEach((node) => {
    if (node instanceof HTMLElement && (node.tagName === 'DIV' || node.tagName === 'P')) {
      loose = undefined;
      const from = node.dataset.para !== undefined ? Number(node.dataset.para) : undefined;
      const p: EditedParagraph = from !== undefined ? { from, parts: [] } : { parts: [] };
      partsOf(node, p.parts, undefined);
      out.push(p);
    } else {
      // Text typed straight into the box (after everything was deleted) forms a paragraph of its own.
      if (!loose) out.push((loose = { parts: [] }));
      partsOf(node, loose.parts, undefined);
    }
  });
  return out;
}
