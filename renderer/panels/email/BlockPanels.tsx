import { useEffect, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { TemplateDocument } from '../../../shared/model/document';
import type { EmailBlockType, EmailRun } from '../../../shared/model/email';
import { checkLiquid } from '../liquid-check';
import { CommitInput, FieldPicker, NumberInput, Row, SwatchPicker } from '../properties/fields';
import type { EmailBlockOf } from './blocks';

/** Where Insert field… puts a field in a text block: paragraph, run and character offset. */
export interface RunCaret {
  blockId: string;
  p: number;
  r: number;
  pos: number;
}

export interface BlockPanelProps<K extends EmailBlockType> {
  block: EmailBlockOf<K>;
  doc: TemplateDocument;
  /** Set properties on this block: one undo step. */
  set(patch: Record<string, unknown>, label: string): void;
  caret: RunCaret | undefined;
  setCaret(c: RunCaret | undefined): void;
}

export function Choice<T extends string>({
  value,
  options,
  onChange,
  testId,
  label,
}: {
  value: T;
  options: readonly T[];
  onChange(v: T): void;
  testId?: string;
  label?: string;
}) {
  return (
    <select className="input" value={value} aria-label={label} data-testid={testId} onChange={(e) => onChange(e.currentTarget.value as T)}>
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}

/** Brand fonts only; none means the email's default font. */
export function FontChoice({
  doc,
  value,
  onChange,
  testId,
}: {
  doc: TemplateDocument;
  value: string | undefined;
  onChange(v: string | undefined): void;
  testId?: string;
}) {
  return (
    <select className="input" value={value ?? ''} data-testid={testId} onChange={(e) => onChange(e.currentTarget.value || undefined)}>
      <option value="">Email default</option>
      {doc.brand.fonts.map((f) => (
        <option key={f.id} value={f.id}>
          {f.family} {f.weight}
          {f.style === 'italic' ? ' italic' : ''}
        </option>
      ))}
    </select>
  );
}

/** A Liquid text that commits on blur or Enter and remembers the caret, so Insert field… lands where you were. */
export function LiquidText({
  doc,
  value,
  onCommit,
  onCaret,
  testId,
  multiline,
  required,
  placeholder,
}: {
  doc: TemplateDocument;
  value: string;
  onCommit(v: string): void;
  onCaret?(pos: number): void;
  testId?: string;
  multiline?: boolean;
  required?: boolean;
  placeholder?: string;
}) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const problem = required && !draft.trim() ? 'This cannot be empty.' : checkLiquid(doc, draft, 'template');
  const commit = () => {
    if (draft !== value && !problem) onCommit(draft);
  };
  const common = {
    className: `input${problem ? ' input-bad' : ''}`,
    value: draft,
    placeholder,
    'data-testid': testId,
    'aria-invalid': problem ? true : undefined,
    onSelect: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => onCaret?.(e.currentTarget.selectionStart ?? draft.length),
    onBlur: commit,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        commit();
      }
      if (e.key === 'Escape') setDraft(value);
    },
  };
  return (
    <span className="prop-input">
      {multiline ? (
        <textarea {...common} rows={2} onChange={(e) => setDraft(e.currentTarget.value)} />
      ) : (
        <input {...common} onChange={(e) => setDraft(e.currentTarget.value)} />
      )}
      {problem ? (
        <small className="prop-problem" role="alert" data-testid={testId ? `${testId}-problem` : undefined}>
          {problem}
        </small>
      ) : null}
    </span>
  );
}

/** Insert `liquid` into `text` at `pos` (clamped), with a space before it when the text runs on. */
export function insertAt(text: string, pos: number | undefined, liquid: string): string {
  const at = Math.max(0, Math.min(text.length, pos ?? text.length));
  const before = text.slice(0, at);
  const sep = before && !/\s$/.test(before) ? ' ' : '';
  return `${before}${sep}${liquid}${text.slice(at)}`;
}

function TextPanel({ block, doc, set, caret, setCaret }: BlockPanelProps<'text'>) {
  const setRun = (p: number, r: number, patch: Partial<EmailRun>, label: string) =>
    set(
      {
        paragraphs: block.paragraphs.map((para, i) =>
          i === p
            ? {
                runs: para.runs.map((run, j) => {
                  if (j !== r) return run;
                  const next: Record<string, unknown> = { ...run };
                  for (const [k, v] of Object.entries(patch)) {
                    if (v === undefined || v === false) delete next[k];
                    else next[k] = v;
                  }
                  return next as EmailRun;
                }),
              }
            : para,
        ),
      },
      label,
    );
  const here = caret && caret.blockId === block.id ? caret : undefined;
  const lastP = block.paragraphs.length - 1;
  const target = here ?? { p: lastP, r: (block.paragraphs[lastP]?.runs.length ?? 1) - 1, pos: undefined };
  return (
    <>
      <h4>Text</h4>
      {block.paragraphs.map((para, p) => (
        <fieldset key={p} className="em-para" data-testid={`para-${p}`}>
          <legend>
            Paragraph {p + 1}
            {block.paragraphs.length > 1 ? (
              <button
                type="button"
                className="btn btn-small em-mini"
                aria-label={`Remove paragraph ${p + 1}`}
                onClick={() => set({ paragraphs: block.paragraphs.filter((_, i) => i !== p) }, 'remove paragraph')}
              >
                ×
              </button>
            ) : null}
          </legend>
          {para.runs.map((run, r) => (
            <div key={r} className="em-run" data-testid={`run-${p}-${r}`}>
              <LiquidText
                doc={doc}
                multiline
                value={run.text}
                testId={`run-text-${p}-${r}`}
                onCaret={(pos) => setCaret({ blockId: block.id, p, r, pos })}
                onCommit={(text) => setRun(p, r, { text }, 'edit text')}
              />
              <div className="em-run-tools">
                <button
                  type="button"
                  className="btn btn-small"
                  aria-pressed={!!run.bold}
                  data-testid={`run-bold-${p}-${r}`}
                  title="Bold"
                  onClick={() => setRun(p, r, { bold: !run.bold }, 'bold')}
                >
                  <b>B</b>
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  aria-pressed={!!run.italic}
                  data-testid={`run-italic-${p}-${r}`}
                  title="Italic"
                  onClick={() => setRun(p, r, { italic: !run.italic }, 'italic')}
                >
                  <i>I</i>
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  aria-pressed={!!run.underline}
                  title="Underline"
                  onClick={() => setRun(p, r, { underline: !run.underline }, 'underline')}
                >
                  <u>U</u>
                </button>
                <CommitInput
                  value={run.href ?? ''}
                  placeholder="Link (https://… or Liquid)"
                  testId={`run-link-${p}-${r}`}
                  check={(v) => (v.trim() ? checkLiquid(doc, v, 'template') : undefined)}
                  onCommit={(v) => setRun(p, r, { href: v.trim() || undefined }, v.trim() ? 'link' : 'remove link')}
                />
                {para.runs.length > 1 ? (
                  <button
                    type="button"
                    className="btn btn-small em-mini"
                    aria-label="Remove run"
                    onClick={() =>
                      set(
                        { paragraphs: block.paragraphs.map((x, i) => (i === p ? { runs: x.runs.filter((_, j) => j !== r) } : x)) },
                        'remove run',
                      )
                    }
                  >
                    ×
                  </button>
                ) : null}
              </div>
            </div>
          ))}
          <button
            type="button"
            className="btn btn-small"
            data-testid={`add-run-${p}`}
            onClick={() =>
              set({ paragraphs: block.paragraphs.map((x, i) => (i === p ? { runs: [...x.runs, { text: ' ' }] } : x)) }, 'add run')
            }
          >
            + Run
          </button>
        </fieldset>
      ))}
      <div className="toolbar">
        <FieldPicker
          doc={doc}
          testId="email-insert-field"
          onInsert={(liquid) => {
            const run = block.paragraphs[target.p]?.runs[target.r];
            if (!run) return;
            setRun(target.p, target.r, { text: insertAt(run.text, target.pos, liquid) }, 'insert field');
            setCaret(undefined);
          }}
        />
        <button
          type="button"
          className="btn btn-small"
          data-testid="add-paragraph"
          onClick={() => set({ paragraphs: [...block.paragraphs, { runs: [{ text: '' }] }] }, 'add paragraph')}
        >
          + Paragraph
        </button>
      </div>
      <Row label="Font">
        <FontChoice doc={doc} value={block.font} testId="email-font" onChange={(font) => set({ font }, 'font')} />
      </Row>
      <Row label="Size px">
        <NumberInput value={block.size} min={6} max={120} testId="email-size" onCommit={(size) => set({ size }, 'size')} />
      </Row>
      <Row label="Line height">
        <NumberInput value={block.lineHeight} min={0.8} max={4} onCommit={(lineHeight) => set({ lineHeight }, 'line height')} />
      </Row>
      <Row label="Colour">
        <SwatchPicker doc={doc} value={block.color} allowNone testId="email-text-color" onChange={(color) => set({ color }, 'colour')} />
      </Row>
      <Row label="Align">
        <Choice
          value={block.align}
          options={['left', 'center', 'right', 'justify'] as const}
          onChange={(align) => set({ align }, 'align')}
        />
      </Row>
    </>
  );
}

function ImagePanel({ block, doc, set }: BlockPanelProps<'image'>) {
  const logos = doc.brand.logos.map((l) => ({ value: l.id, label: `Logo: ${l.name}` }));
  const images = doc.assets.filter((a) => a.mediaType.startsWith('image/')).map((a) => ({ value: a.id, label: `Image: ${a.name}` }));
  const known = [...logos, ...images].some((o) => o.value === block.src);
  return (
    <>
      <h4>Image</h4>
      <Row label="Source">
        <select
          className="input"
          data-testid="email-image-source"
          value={known ? block.src : ''}
          onChange={(e) => e.currentTarget.value && set({ src: e.currentTarget.value }, 'image source')}
        >
          <option value="">Liquid or URL (below)</option>
          <optgroup label="Brand logos">
            {logos.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </optgroup>
          <optgroup label="Images">
            {images.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </optgroup>
        </select>
      </Row>
      <LiquidText
        doc={doc}
        required
        value={block.src}
        testId="email-image-src"
        placeholder="{{ dealer.logo }} or https://…"
        onCommit={(src) => set({ src }, 'image source')}
      />
      <FieldPicker doc={doc} onInsert={(liquid) => set({ src: liquid }, 'image source')} />
      <Row label="Alt text">
        <LiquidText doc={doc} value={block.alt} testId="email-image-alt" onCommit={(alt) => set({ alt }, 'alt text')} />
      </Row>
      <Row label="Link">
        <LiquidText doc={doc} value={block.href ?? ''} onCommit={(href) => set({ href: href.trim() || undefined }, 'image link')} />
      </Row>
      <Row label="Width px">
        <CommitInput
          value={block.width === undefined ? '' : String(block.width)}
          placeholder="Full column"
          check={(v) => (!v.trim() || (Number.isInteger(Number(v)) && Number(v) > 0) ? undefined : 'Whole pixels, or empty.')}
          onCommit={(v) => set({ width: v.trim() ? Number(v) : undefined }, 'image width')}
        />
      </Row>
      <Row label="Align">
        <Choice value={block.align} options={['left', 'center', 'right'] as const} onChange={(align) => set({ align }, 'align')} />
      </Row>
    </>
  );
}

function ButtonPanel({ block, doc, set }: BlockPanelProps<'button'>) {
  return (
    <>
      <h4>Button</h4>
      <Row label="Label">
        <LiquidText
          doc={doc}
          required
          value={block.label}
          testId="email-button-label"
          onCommit={(label) => set({ label }, 'button label')}
        />
      </Row>
      <FieldPicker doc={doc} onInsert={(liquid) => set({ label: insertAt(block.label, undefined, liquid) }, 'insert field')} />
      <Row label="Link">
        <LiquidText doc={doc} required value={block.href} testId="email-button-href" onCommit={(href) => set({ href }, 'button link')} />
      </Row>
      <Row label="Background">
        <SwatchPicker doc={doc} value={block.background} testId="email-button-bg" onChange={(c) => c && set({ background: c }, 'colour')} />
      </Row>
      <Row label="Text colour">
        <SwatchPicker doc={doc} value={block.color} testId="email-button-color" onChange={(c) => c && set({ color: c }, 'colour')} />
      </Row>
      <Row label="Font">
        <FontChoice doc={doc} value={block.font} onChange={(font) => set({ font }, 'font')} />
      </Row>
      <Row label="Corners px">
        <NumberInput value={block.borderRadius} min={0} max={40} onCommit={(borderRadius) => set({ borderRadius }, 'corners')} />
      </Row>
      <Row label="Align">
        <Choice value={block.align} options={['left', 'center', 'right'] as const} onChange={(align) => set({ align }, 'align')} />
      </Row>
    </>
  );
}

function DividerPanel({ block, doc, set }: BlockPanelProps<'divider'>) {
  return (
    <>
      <h4>Divider</h4>
      <Row label="Colour">
        <SwatchPicker doc={doc} value={block.color} testId="email-divider-color" onChange={(c) => c && set({ color: c }, 'colour')} />
      </Row>
      <Row label="Thickness px">
        <NumberInput value={block.thickness} min={0.5} max={20} onCommit={(thickness) => set({ thickness }, 'thickness')} />
      </Row>
    </>
  );
}

function SpacerPanel({ block, set }: BlockPanelProps<'spacer'>) {
  return (
    <>
      <h4>Spacer</h4>
      <Row label="Height px">
        <NumberInput value={block.height} min={1} max={400} testId="email-spacer-height" onCommit={(height) => set({ height }, 'height')} />
      </Row>
    </>
  );
}

const NETWORKS = ['facebook', 'instagram', 'x', 'youtube', 'linkedin', 'web'] as const;

function SocialPanel({ block, doc, set }: BlockPanelProps<'social'>) {
  const links = block.links;
  return (
    <>
      <h4>Social links</h4>
      {links.map((l, i) => (
        <div key={i} className="em-run">
          <Choice
            value={l.network}
            options={NETWORKS}
            label="Network"
            onChange={(network) => set({ links: links.map((x, j) => (j === i ? { ...x, network } : x)) }, 'social network')}
          />
          <LiquidText
            doc={doc}
            required
            value={l.href}
            onCommit={(href) => set({ links: links.map((x, j) => (j === i ? { ...x, href } : x)) }, 'social link')}
          />
          {links.length > 1 ? (
            <button
              type="button"
              className="btn btn-small em-mini"
              aria-label="Remove link"
              onClick={() => set({ links: links.filter((_, j) => j !== i) }, 'remove social link')}
            >
              ×
            </button>
          ) : null}
        </div>
      ))}
      <button
        type="button"
        className="btn btn-small"
        onClick={() => set({ links: [...links, { network: 'web', href: 'https://example.com' }] }, 'add social link')}
      >
        + Link
      </button>
      <Row label="Align">
        <Choice value={block.align} options={['left', 'center', 'right'] as const} onChange={(align) => set({ align }, 'align')} />
      </Row>
    </>
  );
}

function RawPanel({ block, set }: BlockPanelProps<'raw'>) {
  return (
    <>
      <h4>HTML</h4>
      <p className="muted em-note">Passed through as is (mj-raw). Trusted template content: never put record data here.</p>
      <CommitInput multiline value={block.html} testId="email-raw-html" onCommit={(html) => set({ html }, 'HTML')} />
    </>
  );
}

type BlockPanel<K extends EmailBlockType> = (p: BlockPanelProps<K>) => ReactNode;

/** One properties panel per email block type: a new type fails to compile until it has one. */
export const emailBlockPanels = {
  text: TextPanel,
  image: ImagePanel,
  button: ButtonPanel,
  divider: DividerPanel,
  spacer: SpacerPanel,
  social: SocialPanel,
  raw: RawPanel,
} satisfies { [K in EmailBlockType]: BlockPanel<K> };
