import { useEffect, useState } from 'react';
import { useStudio } from '../../state/store';
import { Button, Notice, Progress, Tabs, saveDownload } from '../../ui';
import { PrintPreview } from './PrintPreview';
import { EmailPreview } from './EmailPreview';
import { EditorMount } from './EditorMount';
import { EmailDesign } from './email-design/EmailDesign';
import { useTemplateEditor } from './use-template-editor';
import { FieldsEditor } from './fields/FieldsEditor';
import { RulesPanel } from './rules/RulesPanel';
import { ChannelButtons } from './ChannelButtons';
import type { TemplateTab } from '../../state/store';
import type { EventOf } from '../../../shared/ipc/contract';
import { editorCommandForMenu } from '../../editor/menu-commands';

/** The focused text field, if the focus is in one (menu Undo/Redo then act on its text, not the document). */
const editableFocus = (): HTMLElement | undefined => {
  const el = window.document.activeElement;
  if (!(el instanceof HTMLElement)) return undefined;
  if (el.isContentEditable || el instanceof HTMLTextAreaElement) return el;
  if (el instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit'].includes(el.type)) return el;
  return undefined;
};

type Job = { id: string; kind: 'batch' | 'publish'; done: number; total: number; message: string; finished?: EventOf<'job:finished'> };

export function TemplateScreen() {
  const { bridge, template, setTemplate, dataset, index, report, go, templateTab, openTemplateTab } = useStudio();
  const [tab, setTab] = useState<TemplateTab>(templateTab ?? 'print');
  // Another screen asked for a tab (the Data screen's "Create fields from these columns"): take it once.
  useEffect(() => {
    if (!templateTab) return;
    setTab(templateTab);
    openTemplateTab(null);
  }, [templateTab]);
  // One Editor per open template, shared by the canvas and the email design view (one undo history).
  const templateEditor = useTemplateEditor();
  const [jobs, setJobs] = useState<Record<string, Job>>({});
  const [zoom, setZoom] = useState<{ kind: 'in' | 'out' | 'reset'; n: number } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const id = template!.id;
  const ref = { templateId: id, datasetId: dataset?.id ?? null, index };

  useEffect(() => {
    const a = bridge.on('job:progress', (p) =>
      setJobs((j) => ({ ...j, [p.jobId]: { ...j[p.jobId], id: p.jobId, kind: p.kind, done: p.done, total: p.total, message: p.message } })),
    );
    const b = bridge.on('job:finished', (f) =>
      setJobs((j) => ({
        ...j,
        [f.jobId]: {
          id: f.jobId,
          kind: f.kind,
          done: j[f.jobId]?.total ?? 1,
          total: j[f.jobId]?.total ?? 1,
          message: f.message,
          finished: f,
        },
      })),
    );
    const c = bridge.on('menu:command', ({ command }) => {
      // Edit menu commands: native in a text field (its own undo, as the key would), else the editor core.
      const field = editableFocus();
      if (field && (command === 'undo' || command === 'redo')) return void window.document.execCommand(command);
      const editorCommand = editorCommandForMenu(command, tab === 'design');
      if (editorCommand) return templateEditor.loaded?.editor.execute(editorCommand);
      if (command === 'zoomIn' || command === 'zoomOut' || command === 'zoomReset')
        setZoom((z) => ({ kind: command === 'zoomIn' ? 'in' : command === 'zoomOut' ? 'out' : 'reset', n: (z?.n ?? 0) + 1 }));
      if (command === 'save') void save();
      if (command === 'saveAs') void saveAs();
      if (command === 'export') void bridge.call('export:proof', ref).then(saveDownload, report);
    });
    return () => (a(), b(), c());
  });

  const save = async () => {
    try {
      const t = await bridge.call('template:save', { id, document: undefined });
      setTemplate(t);
      setSaved(t.path ? `Saved to ${t.path}` : 'Saved in the library');
    } catch (e) {
      report(e);
    }
  };
  const saveAs = async () => {
    try {
      if (bridge.transport === 'web') saveDownload(await bridge.call('template:package', { id }));
      else {
        const t = await bridge.call('template:saveAs', { id, path: null });
        if (t) setSaved(`Saved to ${t.path}`);
      }
    } catch (e) {
      report(e);
    }
  };
  const start = (p: Promise<{ jobId: string }>, kind: Job['kind']) =>
    p.then(
      (r) => setJobs((j) => ({ ...j, [r.jobId]: j[r.jobId] ?? { id: r.jobId, kind, done: 0, total: 1, message: 'Starting…' } })),
      report,
    );
  const visible = Object.values(jobs).slice(-3);

  return (
    <div className="screen">
      <div className="toolbar">
        <h1>{template!.name}</h1>
        <div className="spacer" />
        <Button onClick={() => void save()} title="Ctrl+S">
          Save
        </Button>
        <Button onClick={() => void saveAs()} title="Ctrl+Shift+S">
          {bridge.transport === 'web' ? 'Download package (.zip)' : 'Save As…'}
        </Button>
      </div>
      {template!.recovered ? (
        <Notice tone="warn" title="Unsaved changes were recovered">
          The studio closed before these changes were saved. Review them and Save, or close without saving.
        </Notice>
      ) : null}
      {saved ? <Notice tone="ok">{saved}.</Notice> : null}
      <div className="toolbar" role="toolbar" aria-label="Export and publish">
        <Button onClick={() => void bridge.call('export:proof', ref).then(saveDownload, report)} data-testid="export-proof">
          Export proof PDF
        </Button>
        <Button onClick={() => void bridge.call('export:eml', ref).then(saveDownload, report)} data-testid="export-eml">
          Export .eml
        </Button>
        <Button
          disabled={!dataset}
          title={dataset ? undefined : 'Import data first'}
          onClick={() => void start(bridge.call('export:batch', { templateId: id, datasetId: dataset!.id }), 'batch')}
          data-testid="export-batch"
        >
          Export batch PDF{dataset ? ` (${dataset.rows} records)` : ''}
        </Button>
        <div className="spacer" />
        {templateEditor.loaded ? <ChannelButtons editor={templateEditor.loaded.editor} onError={report} /> : null}
        <Button
          variant="primary"
          onClick={() => void start(bridge.call('publish:send', { templateId: id }), 'publish')}
          data-testid="publish"
        >
          Publish to server
        </Button>
      </div>
      {visible.map((j) => (
        <div
          key={j.id}
          className={`notice${j.finished ? (j.finished.ok ? ' notice-ok' : j.finished.cancelled ? '' : ' notice-error') : ''}`}
          data-testid={`job-${j.kind}`}
          role="status"
        >
          <div className="toolbar">
            <strong>{j.kind === 'batch' ? 'Batch PDF' : 'Publish'}</strong>
            {!j.finished ? <Progress done={j.done} total={j.total} label={j.message} /> : null}
            <span data-testid={`job-${j.kind}-message`}>{j.message}</span>
            {j.finished?.ok && j.kind === 'publish' ? (
              <span className="badge badge-ok" data-testid="published-version">
                v{j.finished.value}
              </span>
            ) : null}
            <div className="spacer" />
            {!j.finished && j.kind === 'batch' ? (
              <Button size="small" onClick={() => void bridge.call('export:cancel', { jobId: j.id }).catch(report)}>
                Cancel
              </Button>
            ) : null}
            {j.finished?.ok && j.kind === 'batch' ? (
              <Button
                size="small"
                variant="primary"
                data-testid="save-batch"
                onClick={() => void bridge.call('export:download', { jobId: j.id }).then(saveDownload, report)}
              >
                Save PDF…
              </Button>
            ) : null}
            {j.finished &&
            !j.finished.ok &&
            (j.finished.code === 'no-server' || j.finished.code === 'no-token' || j.finished.code === 'bad-token') ? (
              <Button size="small" onClick={() => go('preferences')}>
                Open Preferences
              </Button>
            ) : null}
          </div>
        </div>
      ))}
      <Tabs
        label="Preview"
        value={tab}
        onChange={setTab}
        tabs={[
          { id: 'print', label: 'Print proof' },
          { id: 'email', label: 'Email' },
          { id: 'design', label: 'Design' },
          { id: 'email-design', label: 'Email design' },
          { id: 'fields', label: 'Fields' },
          { id: 'rules', label: 'Rules' },
        ]}
      />
      {tab === 'print' && <PrintPreview zoomCommand={zoom} />}
      {tab === 'email' && <EmailPreview />}
      {tab === 'design' && <EditorMount loaded={templateEditor.loaded} problem={templateEditor.problem} />}
      {tab === 'email-design' && <EmailDesign loaded={templateEditor.loaded} problem={templateEditor.problem} />}
      {tab === 'fields' && <FieldsEditor loaded={templateEditor.loaded} problem={templateEditor.problem} />}
      {tab === 'rules' && <RulesPanel loaded={templateEditor.loaded} problem={templateEditor.problem} />}
    </div>
  );
}
