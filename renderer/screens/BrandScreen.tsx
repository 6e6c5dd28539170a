import { useCallback, useEffect, useState } from 'react';
import type { BrandView, FontInfo } from '../../shared/ipc/contract';
import { useStudio } from '../state/store';
import { Badge, Button, Field, FileButton, Input, Notice, Panel } from '../ui';

const nums = (s: string, n: number): number[] | null => {
  const parts = s
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  return parts.length === n && parts.every(Number.isFinite) ? parts : null;
};

export function BrandScreen() {
  const { bridge, template, report, touch } = useStudio();
  const [brand, setBrand] = useState<BrandView | null>(null);
  const [note, setNote] = useState<{ tone: 'ok' | 'warn'; text: string } | null>(null);
  const [form, setForm] = useState({ name: '', spot: '', lab: '', cmyk: '', srgb: '' });
  const id = template!.id;
  const refresh = useCallback(() => bridge.call('brand:get', { templateId: id }).then(setBrand, report), [bridge, id, report]);
  useEffect(() => void refresh(), [refresh]);

  const run = async <T,>(p: Promise<T>, ok: (v: T) => string) => {
    try {
      const v = await p;
      setNote({ tone: 'ok', text: ok(v) });
      touch();
      await refresh();
    } catch (e) {
      setNote(null);
      report(e);
    }
  };
  const addSwatch = () => {
    const lab = form.lab.trim() ? nums(form.lab, 3) : null;
    const cmyk = form.cmyk.trim() ? nums(form.cmyk, 4) : null;
    if ((form.lab.trim() && !lab) || (form.cmyk.trim() && !cmyk))
      return report(new Error('Write Lab as three numbers (L a b) and CMYK as four (C M Y K), separated by spaces or commas.'));
    void run(
      bridge.call('brand:addSwatch', {
        templateId: id,
        name: form.name,
        spotName: form.spot.trim() || null,
        lab: lab as [number, number, number] | null,
        cmyk: cmyk as [number, number, number, number] | null,
        srgb: form.srgb.trim() || null,
      }),
      (s) => `Added ${s.name}.`,
    ).then(() => setForm({ name: '', spot: '', lab: '', cmyk: '', srgb: '' }));
  };

  return (
    <div className="screen">
      <div className="toolbar">
        <h1>Brand kit</h1>
        <span className="muted">{brand?.name}</span>
      </div>
      {note ? (
        <Notice tone={note.tone} testId="brand-note">
          {note.text}
        </Notice>
      ) : null}
      <Panel
        title="Swatches"
        testId="swatches"
        actions={
          <FileButton
            accept=".ase"
            label="Import .ase book…"
            testId="import-ase"
            onFile={(f) =>
              void run(
                bridge.call('brand:importAse', { templateId: id, file: f }),
                (r) =>
                  `Imported ${r.added} swatch${r.added === 1 ? '' : 'es'} from ${f.fileName}${r.skipped.length ? `; skipped ${r.skipped.length} (${r.skipped.slice(0, 3).join('; ')})` : ''}.`,
              )
            }
          />
        }
        flush
      >
        <table className="table">
          <thead>
            <tr>
              <th style={{ width: 44 }} />
              <th>Name</th>
              <th>Spot ink</th>
              <th>CMYK</th>
              <th>Screen</th>
              <th title="CMYK builds are converted through Presswork's approximate coated-offset model (no press ICC profile is used here); run `presswork color check --profile press.icc` for exact figures">
                ΔE2000 (threshold {brand?.threshold ?? '…'}; CMYK approximate)
              </th>
            </tr>
          </thead>
          <tbody>
            {brand?.swatches.map((s) => (
              <tr key={s.id} data-testid={`swatch-${s.id}`}>
                <td>
                  <div className="chip" style={{ background: s.screen }} />
                </td>
                <td>{s.name}</td>
                <td className="mono">{s.spotName ? `${s.spotName} (Lab ${s.lab?.join(' ')})` : '—'}</td>
                <td className="mono">{s.cmyk?.join(' ')}</td>
                <td className="mono">{s.screen}</td>
                <td>
                  <div className="toolbar">
                    {s.deltas.map((d) => (
                      <Badge
                        key={d.between}
                        tone={d.over ? 'danger' : 'ok'}
                        title={
                          d.over ? 'Above the brand threshold: these versions of the colour will look different' : 'Within the threshold'
                        }
                      >
                        {d.between} {d.deltaE.toFixed(1)}
                      </Badge>
                    ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title="Add a swatch">
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(5, minmax(0, 1fr)) auto', gap: 12, alignItems: 'end' }}>
          <Field label="Name">
            <Input value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} placeholder="Signal Orange" />
          </Field>
          <Field label="Spot ink name">
            <Input value={form.spot} onChange={(e) => setForm({ ...form, spot: e.currentTarget.value })} placeholder="PANTONE 021 C" />
          </Field>
          <Field label="Lab (D50)">
            <Input value={form.lab} onChange={(e) => setForm({ ...form, lab: e.currentTarget.value })} placeholder="62 58 78" />
          </Field>
          <Field label="CMYK %">
            <Input value={form.cmyk} onChange={(e) => setForm({ ...form, cmyk: e.currentTarget.value })} placeholder="0 65 100 0" />
          </Field>
          <Field label="sRGB">
            <Input value={form.srgb} onChange={(e) => setForm({ ...form, srgb: e.currentTarget.value })} placeholder="#ff6a13" />
          </Field>
          <Button variant="primary" disabled={!form.name.trim()} onClick={addSwatch}>
            Add
          </Button>
        </div>
      </Panel>
      <div className="grid-2">
        <Panel
          title="Fonts"
          testId="fonts"
          actions={
            <FileButton
              accept=".ttf,.otf,.woff,.woff2"
              label="Import font…"
              testId="import-font"
              onFile={(f) =>
                void run(
                  bridge.call('brand:importFont', { templateId: id, file: f }),
                  (r: FontInfo) =>
                    `${r.family} ${r.weight}${r.style === 'italic' ? ' italic' : ''} imported: ${r.format.toUpperCase()}, ${r.glyphs} glyphs, ${r.embedding}.`,
                )
              }
            />
          }
          flush
        >
          <table className="table">
            <tbody>
              {brand?.fonts.map((f) => (
                <tr key={f.id}>
                  <td>
                    <strong>{f.family}</strong> {f.weight}
                    {f.style === 'italic' ? ' italic' : ''}
                  </td>
                  <td className="muted">{f.licence}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
        <Panel
          title="Logos"
          actions={
            <FileButton
              accept=".png,.jpg,.jpeg,.svg"
              label="Import logo…"
              onFile={(f) => void run(bridge.call('brand:importLogo', { templateId: id, file: f }), (r) => `Logo ${r.name} added.`)}
            />
          }
          flush
        >
          <table className="table">
            <tbody>
              {brand?.logos.map((l) => (
                <tr key={l.id}>
                  <td>{l.name}</td>
                  <td className="muted mono">{l.mediaType}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      </div>
    </div>
  );
}
