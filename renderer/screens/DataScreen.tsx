import { useEffect, useState } from 'react';
import { useStudio } from '../state/store';
import { Badge, Button, ProblemTable, FileButton, Notice, Panel } from '../ui';

export function DataScreen() {
  const { bridge, template, dataset, setDataset, record, report, openTemplateTab } = useStudio();
  const [busy, setBusy] = useState(false);
  const [datasets, setDatasets] = useState<{ id: string; name: string; rows: number }[]>([]);
  const templateId = template?.id;
  useEffect(() => {
    if (!templateId) return;
    bridge.call('data:list', { templateId }).then((l) => setDatasets(l.datasets), report);
  }, [bridge, templateId, dataset?.id, report]);
  const switchTo = (datasetId: string) => void bridge.call('data:select', { datasetId }).then(setDataset, report);
  const importFile = async (f: { fileName: string; data: string }) => {
    setBusy(true);
    try {
      setDataset(await bridge.call('data:import', { templateId: template!.id, file: f }));
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };
  const map = (field: string, column: string) =>
    void bridge.call('data:map', { datasetId: dataset!.id, mapping: { [field]: column === '' ? null : column } }).then(setDataset, report);
  const errors = dataset?.problems.filter((p) => p.severity === 'error').length ?? 0;
  const warnings = dataset?.problems.filter((p) => p.severity === 'warning').length ?? 0;
  const ignored = dataset?.ignored ?? [];
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

  return (
    <div className="screen">
      <div className="toolbar">
        <h1>Data</h1>
        <span className="muted">{dataset ? `${dataset.name} · ${dataset.rows} rows` : 'Using the template’s sample values'}</span>
        <div className="spacer" />
        {datasets.length > 1 ? (
          <select
            className="input"
            aria-label="Sample data"
            data-testid="dataset-switch"
            value={dataset?.id ?? ''}
            onChange={(e) => switchTo(e.currentTarget.value)}
          >
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({plural(d.rows, 'row')})
              </option>
            ))}
          </select>
        ) : null}
        {busy ? <span className="spinner" aria-label="Reading the file" /> : null}
        <FileButton
          variant="primary"
          accept=".csv,.tsv,.txt,.xlsx,.json,.ndjson,.jsonl"
          label="Import data…"
          testId="import-data"
          onFile={(f) => void importFile(f)}
        />
      </div>
      {dataset ? (
        <Notice tone={errors || warnings || ignored.length ? 'warn' : 'ok'} testId="data-summary">
          {plural(dataset.rows, 'record')} read from {dataset.name};{' '}
          {errors || warnings
            ? `${[errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean).join(' and ')} listed below${errors ? ' (rows with errors are skipped when composing)' : ''}.`
            : 'no problems found.'}
          {ignored.length ? (
            <>
              {' '}
              <strong data-testid="ignored-columns">
                {plural(ignored.length, 'column')} no field reads {ignored.length === 1 ? 'is' : 'are'} ignored:{' '}
                {ignored
                  .slice(0, 8)
                  .map((g) => `“${g.header}”`)
                  .join(', ')}
                {ignored.length > 8 ? ` and ${ignored.length - 8} more` : ''}.
              </strong>{' '}
              <Button size="small" variant="primary" onClick={() => openTemplateTab('fields')} data-testid="open-create-fields">
                Create fields from these columns…
              </Button>
            </>
          ) : null}
        </Notice>
      ) : null}
      <div className="grid-2">
        <Panel title="Current record" testId="record-panel" flush>
          {record ? (
            <table className="table">
              <tbody>
                <tr>
                  <th>Dealer variant</th>
                  <td>
                    {record.variant
                      ? `${record.variant.name}${record.variant.fallback ? ' (fallback: no dealer matches this key)' : ''} · key ${record.variant.key ?? '—'}`
                      : '—'}
                  </td>
                </tr>
                {Object.entries(record.values).map(([k, v]) => (
                  <tr key={k}>
                    <th>{k}</th>
                    <td>{v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <div className="empty">Loading…</div>
          )}
        </Panel>
        {dataset ? (
          <Panel title="Column mapping" flush>
            <table className="table">
              <thead>
                <tr>
                  <th>Field</th>
                  <th>Type</th>
                  <th>Column in {dataset.name}</th>
                </tr>
              </thead>
              <tbody>
                {dataset.fields.map((f) => (
                  <tr key={f.name}>
                    <td>
                      {f.name} {f.required ? <Badge>required</Badge> : null}
                    </td>
                    <td className="muted">{f.type}</td>
                    <td>
                      <select
                        className="input"
                        value={dataset.mapping[f.name] ?? ''}
                        onChange={(e) => map(f.name, e.currentTarget.value)}
                        aria-label={`Column for ${f.name}`}
                      >
                        <option value="">(not mapped)</option>
                        {dataset.columns.map((c) => (
                          <option key={c} value={c}>
                            {c}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Panel>
        ) : (
          <Panel title="Import">
            <p className="muted">
              Import a CSV, TSV, Excel (.xlsx) or JSON file. Columns are matched to the template’s fields by name; change the mapping
              afterwards if needed. Problems are listed by row and column.
            </p>
          </Panel>
        )}
      </div>
      {dataset && dataset.problems.length ? (
        <Panel title={`Problems (${dataset.problems.length})`} testId="problems" flush>
          <div style={{ maxHeight: 320, overflow: 'auto' }}>
            <ProblemTable problems={dataset.problems} whole="file" />
          </div>
        </Panel>
      ) : null}
    </div>
  );
}
