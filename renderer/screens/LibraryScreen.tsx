import { useEffect, useState } from 'react';
import type { LibraryItem, TemplateSummary } from '../../shared/ipc/contract';
import { useStudio } from '../state/store';
import { Badge, Button, FileButton, Notice, Panel } from '../ui';

export function LibraryScreen() {
  const { bridge, setTemplate, setDataset, go, report, setCreating } = useStudio();
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  const [items, setItems] = useState<LibraryItem[]>([]);
  const [recent, setRecent] = useState<{ path: string; name: string; openedAt: string }[]>([]);
  const [busy, setBusy] = useState(false);

  const refresh = () => {
    bridge.call('library:list', {}).then((l) => {
      setTemplates(l.templates);
      setItems(l.items);
    }, report);
    bridge.call('recent:list', {}).then(setRecent, report);
  };
  useEffect(refresh, [bridge, report]);

  const open = async (p: Promise<TemplateSummary | null>) => {
    setBusy(true);
    try {
      const t = await p;
      if (t) {
        setTemplate(t);
        go('template');
      }
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };

  // A dataset opens with its template, as that template's current sample data.
  const openDataset = async (i: LibraryItem) => {
    try {
      const t = templates.find((x) => x.id === i.templateId);
      if (!t) return;
      const view = await bridge.call('data:select', { datasetId: i.id });
      setTemplate(t);
      setDataset(view);
      go('data');
    } catch (e) {
      report(e);
    }
  };

  return (
    <div className="screen">
      <div className="toolbar">
        <h1>Library</h1>
        <div className="spacer" />
        <Button onClick={() => setCreating(true)} data-testid="new-template" title="Ctrl+N">
          New template…
        </Button>
        <Button variant="primary" busy={busy} onClick={() => void open(bridge.call('template:openSample', {}))} data-testid="open-sample">
          Open the sample campaign
        </Button>
        {bridge.transport === 'electron' ? (
          <Button onClick={() => void open(bridge.call('template:openDialog', {}))}>Open package…</Button>
        ) : (
          <FileButton
            accept=".zip,application/zip"
            label="Open package (.zip)…"
            onFile={(f) => void open(bridge.call('template:import', f))}
            testId="open-package"
          />
        )}
      </div>
      {templates.some((t) => t.recovered) ? (
        <Notice tone="warn" title="Unsaved work was recovered" testId="recovered-notice">
          The studio closed before these templates were saved; their last changes were kept:{' '}
          {templates
            .filter((t) => t.recovered)
            .map((t) => `“${t.name}” (changed ${new Date(t.updatedAt).toLocaleString()})`)
            .join(', ')}
          . Open one to review the changes, then Save.
        </Notice>
      ) : null}
      <Panel title="Templates">
        {templates.length === 0 ? (
          <div className="empty">No templates yet. Start a new template, or open the sample campaign or a template package.</div>
        ) : (
          <div className="cards">
            {templates.map((t) => (
              <button
                key={t.id}
                type="button"
                className="card"
                data-testid={`template-card-${t.id}`}
                onClick={() => void open(bridge.call('template:get', { id: t.id }).then((g) => g.summary))}
              >
                <strong>{t.name}</strong>
                <span className="muted">
                  {t.pages} print page{t.pages === 1 ? '' : 's'}
                  {t.hasEmail ? ' · email' : ''}
                </span>
                <span className="muted" style={{ fontSize: 11 }}>
                  {t.recovered ? <Badge tone="warn">Unsaved changes recovered</Badge> : `Saved ${new Date(t.updatedAt).toLocaleString()}`}
                </span>
              </button>
            ))}
          </div>
        )}
      </Panel>
      <div className="grid-2">
        <Panel title="Recent files">
          {recent.length === 0 ? (
            <div className="muted">Files you open or save appear here.</div>
          ) : (
            <table className="table">
              <tbody>
                {recent.map((r) => (
                  <tr key={r.path}>
                    <td>
                      <Button size="small" onClick={() => void open(bridge.call('template:openPath', { path: r.path }))}>
                        {r.name}
                      </Button>
                    </td>
                    <td className="mono muted">{r.path}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
        <Panel title="Fonts, images and data">
          {items.length === 0 ? (
            <div className="muted">Fonts, logos and data files you import are kept here for reuse.</div>
          ) : (
            <table className="table">
              <tbody>
                {items.slice(0, 40).map((i) => (
                  <tr key={i.id}>
                    <td>
                      <Badge>{i.kind}</Badge>
                    </td>
                    <td>{i.name}</td>
                    <td className="muted">
                      {i.detail}
                      {i.templateId ? ` · ${templates.find((t) => t.id === i.templateId)?.name ?? 'template removed'}` : ''}
                    </td>
                    <td>
                      {i.kind === 'dataset' && templates.some((t) => t.id === i.templateId) ? (
                        <Button size="small" onClick={() => void openDataset(i)} data-testid={`open-dataset-${i.name}`}>
                          Open
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      </div>
    </div>
  );
}
