import { useEffect, useMemo, useState } from 'react';
import type { DataProblem, VariantSetView } from '../../shared/ipc/contract';
import type { VariantTable, VariantTableItem } from '../../shared/data/variant-sets';
import { VariantSetSchema, type VariantSet } from '../../shared/model/variants';
import { useStudio } from '../state/store';
import { Badge, ProblemTable, Button, FileButton, Notice, Panel } from '../ui';

type SetRow = { id: string; name: string; detail: string; updatedAt: string };

const problemKey = (row: number | null, column: string | null) => `${row ?? '-'}/${column ?? '-'}`;

/**
 * Dealers: the library's dealer variant sets. Import a CSV/XLSX table (key, label, typed fields, `swatch:<id>`
 * overrides), edit it cell by cell with the problems shown on the cells and listed by row and column, save
 * it in the library, and attach it to the open template as its variants. The current record's dealer is shown
 * (step records in the top bar); previews use the attached dealers' values.
 */
export function VariantsScreen() {
  const { bridge, template, record, touch, report } = useStudio();
  const templateId = template!.id;
  const [sets, setSets] = useState<SetRow[]>([]);
  const [view, setView] = useState<VariantSetView | null>(null);
  const [table, setTable] = useState<VariantTable | null>(null);
  const [dirty, setDirty] = useState(false);
  const [keyField, setKeyField] = useState('');
  const [attached, setAttached] = useState<VariantSet | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refreshAttached = () =>
    void bridge.call('template:get', { id: templateId }).then((t) => {
      const v = VariantSetSchema.safeParse((t.document as { variants?: unknown }).variants);
      setAttached(v.success ? v.data : null);
    }, report);
  const refreshSets = () => void bridge.call('variants:list', {}).then(setSets, report);
  useEffect(() => {
    refreshSets();
    refreshAttached();
    // Once per template (the refresh functions are recreated every render).
  }, [bridge, templateId]);

  const show = (v: VariantSetView) => {
    setView(v);
    setTable(v.table);
    setDirty(false);
    setKeyField((k) => (k && v.keyFields.includes(k) ? k : (v.suggestedKeyField ?? '')));
  };
  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setNote(null);
    try {
      await what();
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };
  const importFile = (f: { fileName: string; data: string }) =>
    void run(async () => {
      show(await bridge.call('variants:import', { templateId, file: f }));
      refreshSets();
    });
  const open = (id: string) => void run(async () => show(await bridge.call('variants:get', { id, templateId })));
  const save = () =>
    void run(async () => {
      show(await bridge.call('variants:save', { id: view!.id, templateId, table: table! }));
      refreshSets();
      setNote('Saved in the library.');
    });
  const attach = () =>
    void run(async () => {
      if (dirty) show(await bridge.call('variants:save', { id: view!.id, templateId, table: table! }));
      await bridge.call('variants:attach', { id: view!.id, templateId, keyField });
      refreshAttached();
      touch();
      setNote(`Attached to “${template!.name}”: records pick their dealer by ${keyField}. Previews now use these dealers.`);
    });

  const edit = (i: number, change: (it: VariantTableItem) => VariantTableItem) => {
    setTable((t) => (t ? { ...t, items: t.items.map((it, k) => (k === i ? change(it) : it)) } : t));
    setDirty(true);
  };
  const swatchColumns = useMemo(() => [...new Set((table?.items ?? []).flatMap((it) => Object.keys(it.swatches)))], [table]);
  const problems = useMemo(() => {
    const m = new Map<string, DataProblem[]>();
    for (const p of view?.problems ?? []) m.set(problemKey(p.row, p.column), [...(m.get(problemKey(p.row, p.column)) ?? []), p]);
    return m;
  }, [view]);
  const errors = view?.problems.filter((p) => p.severity === 'error').length ?? 0;

  const cell = (row: number, column: string, value: string, onChange: (v: string) => void, label: string) => {
    const ps = problems.get(problemKey(row, column));
    const tone = ps?.some((p) => p.severity === 'error') ? 'error' : ps ? 'warn' : null;
    return (
      <td key={column} className={tone ? `cell-${tone}` : undefined} title={ps?.map((p) => p.message).join('\n')}>
        <input
          className="input"
          value={value}
          aria-label={`${label}, row ${row}`}
          aria-invalid={tone === 'error' || undefined}
          data-testid={`vcell-${row}-${column}`}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      </td>
    );
  };

  return (
    <div className="screen">
      <div className="toolbar">
        <h1>Dealers</h1>
        <span className="muted" data-testid="variants-attached">
          {attached
            ? `${template!.name} uses ${attached.items.length} dealer${attached.items.length === 1 ? '' : 's'}, picked by ${attached.keyField}`
            : `${template!.name} has no dealer variants yet`}
        </span>
        <div className="spacer" />
        {busy ? <span className="spinner" aria-label="Working" /> : null}
        <FileButton
          variant="primary"
          accept=".csv,.tsv,.txt,.xlsx,.json"
          label="Import dealers (CSV/XLSX)…"
          testId="import-variants"
          onFile={importFile}
        />
      </div>
      {note ? (
        <Notice tone="ok" testId="variants-note">
          {note}
        </Notice>
      ) : null}
      <div className="grid-2">
        <Panel title="Dealer sets in the library" testId="variant-sets" flush>
          {sets.length === 0 ? (
            <div className="empty">
              No dealer sets yet. Import a table with a key column (dealer_id, key or code), a label, fields such as name, phone, url, email
              and logo (a logo id of the brand kit), and optional swatch:&lt;swatch id&gt; columns for colour overrides.
            </div>
          ) : (
            <table className="table">
              <tbody>
                {sets.map((s) => (
                  <tr key={s.id} aria-selected={view?.id === s.id || undefined}>
                    <td>
                      <Button size="small" onClick={() => open(s.id)} data-testid={`open-set-${s.name}`}>
                        {s.name}
                      </Button>
                    </td>
                    <td className="muted">{s.detail}</td>
                    <td className="muted">{new Date(s.updatedAt).toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
        <Panel title="Current record" testId="variant-record">
          {record?.variant ? (
            <p data-testid="record-dealer">
              Record {record.index + 1} of {record.total} resolves to <strong>{record.variant.name}</strong>
              {record.variant.fallback ? ' (fallback: no dealer has this key)' : ''} · key {record.variant.key ?? '—'}
            </p>
          ) : (
            <p className="muted" data-testid="record-dealer">
              Records resolve to no dealer until a set is attached.
            </p>
          )}
          <p className="muted">Step through records in the top bar; the Data screen shows every value of the record.</p>
        </Panel>
      </div>
      {view && table ? (
        <>
          <Panel
            title={`${view.name} · ${table.items.length} dealers`}
            testId="variant-table"
            actions={
              <>
                <Button
                  size="small"
                  onClick={() => {
                    setTable({ ...table, items: [...table.items, { key: '', label: '', values: {}, swatches: {} }] });
                    setDirty(true);
                  }}
                >
                  Add dealer
                </Button>
                <Button size="small" disabled={!dirty} onClick={save} data-testid="save-variants">
                  Save set
                </Button>
                <label className="muted">
                  Key field{' '}
                  <select
                    className="input"
                    value={keyField}
                    onChange={(e) => setKeyField(e.currentTarget.value)}
                    data-testid="variant-key-field"
                    aria-label="Data field that names the dealer"
                  >
                    <option value="">(choose)</option>
                    {view.keyFields.map((f) => (
                      <option key={f} value={f}>
                        {f}
                      </option>
                    ))}
                  </select>
                </label>
                <Button
                  size="small"
                  variant="primary"
                  disabled={!keyField || busy}
                  title={errors ? 'Fix the problems first' : undefined}
                  onClick={attach}
                  data-testid="attach-variants"
                >
                  Attach to template
                </Button>
              </>
            }
            flush
          >
            <div style={{ maxHeight: 420, overflow: 'auto' }}>
              <table className="table variant-table">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>Key ({table.keyColumn})</th>
                    <th>Label</th>
                    {table.fields.map((f) => (
                      <th key={f.name}>
                        {f.name} <Badge>{f.type}</Badge>
                      </th>
                    ))}
                    {swatchColumns.map((c) => (
                      <th key={c}>swatch {c} →</th>
                    ))}
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {table.items.map((it, i) => (
                    <tr key={i}>
                      <td className="mono muted">{i + 1}</td>
                      {cell(i + 1, 'key', it.key, (v) => edit(i, (x) => ({ ...x, key: v })), 'Key')}
                      {cell(i + 1, 'label', it.label, (v) => edit(i, (x) => ({ ...x, label: v })), 'Label')}
                      {table.fields.map((f) =>
                        cell(
                          i + 1,
                          f.name,
                          it.values[f.name] ?? '',
                          (v) => edit(i, (x) => ({ ...x, values: { ...x.values, [f.name]: v } })),
                          f.name,
                        ),
                      )}
                      {swatchColumns.map((c) =>
                        cell(
                          i + 1,
                          `swatch:${c}`,
                          it.swatches[c] ?? '',
                          (v) =>
                            edit(i, (x) => {
                              const sw = { ...x.swatches };
                              if (v.trim()) sw[c] = v;
                              else delete sw[c];
                              return { ...x, swatches: sw };
                            }),
                          `Swatch ${c}`,
                        ),
                      )}
                      <td>
                        <Button
                          size="small"
                          aria-label={`Remove row ${i + 1}`}
                          onClick={() => {
                            setTable({ ...table, items: table.items.filter((_, k) => k !== i) });
                            setDirty(true);
                          }}
                        >
                          ×
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Panel>
          <Panel title={errors || view.problems.length ? `Problems (${view.problems.length})` : 'Problems'} testId="variant-problems" flush>
            {dirty ? (
              <div className="muted" style={{ padding: 8 }}>
                Save the set to check your edits again.
              </div>
            ) : null}
            {view.problems.length === 0 ? (
              <div className="empty">No problems: every dealer has a unique key and readable values.</div>
            ) : (
              <ProblemTable problems={view.problems} whole="set" />
            )}
          </Panel>
        </>
      ) : null}
    </div>
  );
}
