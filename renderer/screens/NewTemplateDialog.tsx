import { useEffect, useRef, useState } from 'react';
import type { ResultOf } from '../../shared/ipc/contract';
import { PAGE_PRESETS, PAGE_PRESET_IDS, type PagePreset } from '../../shared/model/page-presets';
import { fromPt, toPt, type LengthUnit } from '../../shared/model/units';
import { useStudio } from '../state/store';
import { Button, Field, Input, Notice, Panel } from '../ui';

type Kit = ResultOf<'template:brandKits'>[number];

const fmt = (pt: number, unit: LengthUnit) => String(Math.round(fromPt(pt, unit) * 1000) / 1000);

/**
 * File ▸ New (menu, Ctrl/Cmd+N, the Library's New template button): name, page size preset or a custom
 * size with bleed, and a brand kit from the library (or an empty one). Creates the template in the library
 * and opens it on the Template screen.
 */
export function NewTemplateDialog() {
  const { bridge, setCreating, setTemplate, go, report } = useStudio();
  const [name, setName] = useState('Untitled template');
  const [preset, setPreset] = useState<PagePreset>('postcard-6x9');
  const [unit, setUnit] = useState<LengthUnit>('in');
  const [custom, setCustom] = useState({ width: '5', height: '7', bleed: '0.125' });
  const [kits, setKits] = useState<Kit[] | null>(null);
  const [brandFrom, setBrandFrom] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [channels, setChannels] = useState<'print' | 'email' | 'both'>('both');
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    bridge.call('template:brandKits', {}).then(setKits, report);
    nameRef.current?.select();
  }, [bridge, report]);

  const close = () => setCreating(false);
  const changeUnit = (u: LengthUnit) => {
    // Keep the same physical size when the unit changes.
    const conv = (v: string) => (Number.isFinite(Number(v)) && v.trim() !== '' ? fmt(toPt(Number(v), unit), u) : v);
    setCustom({ width: conv(custom.width), height: conv(custom.height), bleed: conv(custom.bleed) });
    setUnit(u);
  };
  const customPt = {
    width: toPt(Number(custom.width), unit),
    height: toPt(Number(custom.height), unit),
    bleed: toPt(Number(custom.bleed), unit),
  };
  const customProblem =
    preset !== 'custom'
      ? null
      : [custom.width, custom.height, custom.bleed].some((v) => v.trim() === '' || !Number.isFinite(Number(v)))
        ? 'Enter numbers for the width, height and bleed.'
        : customPt.width < 36 || customPt.height < 36
          ? 'A page is at least 0.5 in (36 pt) on each side.'
          : customPt.bleed < 0 || customPt.bleed > 72
            ? 'Bleed is between 0 and 1 in (72 pt).'
            : null;
  const canCreate = name.trim() !== '' && !customProblem && !busy;

  const create = async () => {
    if (!canCreate) return;
    setBusy(true);
    try {
      const t = await bridge.call('template:create', {
        name: name.trim(),
        preset,
        custom: preset === 'custom' ? customPt : null,
        brandFrom: brandFrom === '' ? null : brandFrom,
        channels,
      });
      setTemplate(t);
      setCreating(false);
      go('template');
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };

  const sizeOf = (p: PagePreset) => (p === 'custom' ? null : PAGE_PRESETS[p]);
  const chosen = sizeOf(preset);

  return (
    <div
      className="dialog-backdrop"
      onKeyDown={(e) => {
        if (e.key === 'Escape') close();
      }}
    >
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="new-template-title" data-testid="new-template-dialog">
        <Panel title={<h2 id="new-template-title">New template</h2>}>
          <form
            className="form-grid"
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <div className="wide">
              <Field label="Name">
                <input
                  className="input"
                  ref={nameRef}
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  data-testid="new-name"
                  autoFocus
                />
              </Field>
            </div>
            <div className="wide">
              <Field
                label="Channels"
                hint="Email starts from a layout built from the brand kit: logo, headline, text, button, footer with unsubscribe."
              >
                <select
                  className="input"
                  value={channels}
                  onChange={(e) => setChannels(e.currentTarget.value as typeof channels)}
                  data-testid="new-channels"
                >
                  <option value="both">Print and email</option>
                  <option value="print">Print only</option>
                  <option value="email">Email only</option>
                </select>
              </Field>
            </div>
            <div className="wide">
              <Field
                label="Page size"
                hint={
                  chosen
                    ? `${fmt(chosen.width, 'in')} × ${fmt(chosen.height, 'in')} in (${fmt(chosen.width, 'mm')} × ${fmt(chosen.height, 'mm')} mm), bleed ${fmt(chosen.bleed, 'in')} in${chosen.pages.length > 1 ? `; ${chosen.pages.join(' and ')} pages` : ''}`
                    : 'Your own trim size and bleed; one page.'
                }
              >
                <select
                  className="input"
                  value={preset}
                  onChange={(e) => setPreset(e.currentTarget.value as PagePreset)}
                  data-testid="new-preset"
                >
                  {PAGE_PRESET_IDS.map((p) => (
                    <option key={p} value={p}>
                      {p === 'custom' ? 'Custom size…' : PAGE_PRESETS[p].label}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            {preset === 'custom' ? (
              <>
                <Field label={`Width (${unit})`}>
                  <Input
                    inputMode="decimal"
                    value={custom.width}
                    onChange={(e) => setCustom({ ...custom, width: e.currentTarget.value })}
                    data-testid="new-width"
                  />
                </Field>
                <Field label={`Height (${unit})`}>
                  <Input
                    inputMode="decimal"
                    value={custom.height}
                    onChange={(e) => setCustom({ ...custom, height: e.currentTarget.value })}
                    data-testid="new-height"
                  />
                </Field>
                <Field label={`Bleed (${unit})`}>
                  <Input
                    inputMode="decimal"
                    value={custom.bleed}
                    onChange={(e) => setCustom({ ...custom, bleed: e.currentTarget.value })}
                    data-testid="new-bleed"
                  />
                </Field>
                <Field label="Unit">
                  <select
                    className="input"
                    value={unit}
                    onChange={(e) => changeUnit(e.currentTarget.value as LengthUnit)}
                    data-testid="new-unit"
                  >
                    <option value="in">inches</option>
                    <option value="mm">millimetres</option>
                    <option value="pt">points</option>
                  </select>
                </Field>
                {customProblem ? (
                  <div className="wide">
                    <Notice tone="warn" testId="new-size-problem">
                      {customProblem}
                    </Notice>
                  </div>
                ) : null}
              </>
            ) : null}
            <div className="wide">
              <Field
                label="Brand kit"
                hint="Fonts, swatches and logos are copied into the new template; later changes to either stay separate."
              >
                <select className="input" value={brandFrom} onChange={(e) => setBrandFrom(e.currentTarget.value)} data-testid="new-brand">
                  <option value="">Empty brand kit</option>
                  {(kits ?? []).map((k) => (
                    <option key={k.templateId} value={k.templateId}>
                      {k.name} — from “{k.templateName}” ({k.swatches} swatches, {k.fonts} fonts, {k.logos} logos)
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <div className="wide toolbar">
              <div className="spacer" />
              <Button onClick={close}>Cancel</Button>
              <Button variant="primary" type="submit" disabled={!canCreate} busy={busy} data-testid="new-create">
                Create template
              </Button>
            </div>
          </form>
        </Panel>
      </div>
    </div>
  );
}
