import { useEffect, useState, type ReactNode } from 'react';
import type { TemplateDocument } from '../../../shared/model/document';
import type { ColorRef } from '../../../shared/model/color';
import { fromPt, toPt, type LengthUnit } from '../../../shared/model/units';
import { cssColor } from '../../canvas';
import { checkLiquid, insertables } from '../liquid-check';

/** A labelled row in the properties panel. */
export function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="prop-row">
      <span>{label}</span>
      {children}
    </label>
  );
}

/**
 * A text input that commits on Enter or blur (one undo step per edit, not per keystroke); Escape
 * restores the document's value. `check` shows a live problem under the input as you type.
 */
export function CommitInput({
  value,
  onCommit,
  check,
  testId,
  placeholder,
  multiline,
}: {
  value: string;
  onCommit(v: string): void;
  check?: (v: string) => string | undefined;
  testId?: string;
  placeholder?: string;
  multiline?: boolean;
}) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const problem = check?.(draft);
  const commit = () => {
    if (draft !== value && !problem) onCommit(draft);
  };
  const common = {
    className: `input${problem ? ' input-bad' : ''}`,
    value: draft,
    placeholder,
    'data-testid': testId,
    'aria-invalid': problem ? true : undefined,
    onBlur: commit,
  };
  return (
    <span className="prop-input">
      {multiline ? (
        <textarea
          {...common}
          rows={2}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              commit();
            }
            if (e.key === 'Escape') setDraft(value);
          }}
        />
      ) : (
        <input
          {...common}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setDraft(value);
          }}
        />
      )}
      {problem ? (
        <small className="prop-problem" role="alert" data-testid={testId ? `${testId}-problem` : undefined}>
          {problem}
        </small>
      ) : null}
    </span>
  );
}

/** A length in the chosen unit, stored in points. */
export function LengthInput({ pt, unit, onCommit, testId }: { pt: number; unit: LengthUnit; onCommit(pt: number): void; testId?: string }) {
  const digits = unit === 'pt' ? 1 : unit === 'mm' ? 2 : 3;
  const shown = String(Number(fromPt(pt, unit).toFixed(digits)));
  return (
    <CommitInput
      value={shown}
      testId={testId}
      check={(v) => (Number.isFinite(Number(v)) && v.trim() !== '' ? undefined : `Enter a number in ${unit}.`)}
      onCommit={(v) => onCommit(toPt(Number(v), unit))}
    />
  );
}

export function NumberInput({
  value,
  onCommit,
  min,
  max,
  testId,
}: {
  value: number;
  onCommit(n: number): void;
  min?: number;
  max?: number;
  testId?: string;
}) {
  return (
    <CommitInput
      value={String(Number(value.toFixed(2)))}
      testId={testId}
      check={(v) => {
        const n = Number(v);
        if (!Number.isFinite(n) || v.trim() === '') return 'Enter a number.';
        if (min !== undefined && n < min) return `At least ${min}.`;
        if (max !== undefined && n > max) return `At most ${max}.`;
        return undefined;
      }}
      onCommit={(v) => onCommit(Number(v))}
    />
  );
}

/**
 * Colours from the brand kit's swatches (referenced by id, never copied). Anything else is allowed but
 * marked off-brand, as preflight reports it.
 */
export function SwatchPicker({
  doc,
  value,
  onChange,
  allowNone,
  testId,
}: {
  doc: TemplateDocument;
  value: ColorRef | undefined;
  onChange(c: ColorRef | undefined): void;
  allowNone?: boolean;
  testId?: string;
}) {
  const current = value && 'swatch' in value ? value.swatch : undefined;
  const offBrand = value !== undefined && !('swatch' in value);
  return (
    <div className="swatches" data-testid={testId}>
      {allowNone ? (
        <button type="button" className="chip chip-none" aria-pressed={!value} title="None" onClick={() => onChange(undefined)} />
      ) : null}
      {doc.brand.swatches.map((s) => (
        <button
          key={s.id}
          type="button"
          className="chip"
          aria-pressed={current === s.id}
          title={`${s.name}${s.spot ? ` (${s.spot.name})` : ''}`}
          aria-label={s.name}
          data-testid={testId ? `${testId}-${s.id}` : undefined}
          style={{ background: s.srgb }}
          onClick={() => onChange({ swatch: s.id, tint: 100 })}
        >
          {s.spot ? <i className="spot-dot" /> : null}
        </button>
      ))}
      <input
        type="color"
        className="chip"
        title="Any colour (off-brand)"
        aria-label="Off-brand colour"
        value={offBrand ? (cssColor(doc, value)?.startsWith('#') ? cssColor(doc, value) : '#000000') : '#000000'}
        onChange={(e) => onChange({ rgb: e.currentTarget.value })}
      />
      {offBrand ? (
        <small className="prop-problem" data-testid={testId ? `${testId}-offbrand` : undefined}>
          Off-brand colour: preflight will report it. Pick a brand swatch.
        </small>
      ) : null}
    </div>
  );
}

/** Insert a data field, rule or dealer value as Liquid (`{{ expression }}`). */
export function FieldPicker({ doc, onInsert, testId }: { doc: TemplateDocument; onInsert(liquid: string): void; testId?: string }) {
  const items = insertables(doc);
  const groups = [...new Set(items.map((i) => i.group))];
  return (
    <select
      className="input"
      aria-label="Insert a field"
      data-testid={testId}
      value=""
      onChange={(e) => {
        if (e.currentTarget.value) onInsert(`{{ ${e.currentTarget.value} }}`);
      }}
    >
      <option value="">Insert field…</option>
      {groups.map((g) => (
        <optgroup key={g} label={g}>
          {items
            .filter((i) => i.group === g)
            .map((i) => (
              <option key={i.expression} value={i.expression}>
                {i.expression} ({i.type})
              </option>
            ))}
        </optgroup>
      ))}
    </select>
  );
}

/** A visibility condition, checked against the template's fields and rules as you type. */
export function ConditionInput({
  doc,
  value,
  onCommit,
  testId,
}: {
  doc: TemplateDocument;
  value: string | undefined;
  onCommit(v: string | undefined): void;
  testId?: string;
}) {
  return (
    <CommitInput
      value={value ?? ''}
      placeholder="Always shown (e.g. offer_eligible)"
      testId={testId}
      check={(v) => (v.trim() ? checkLiquid(doc, v, 'condition') : undefined)}
      onCommit={(v) => onCommit(v.trim() || undefined)}
    />
  );
}
