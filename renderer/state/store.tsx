import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { DatasetView, PrefsView, RecordView, TemplateSummary } from '../../shared/ipc/contract';
import { BridgeError, type Bridge } from '../bridge';

export type Screen = 'library' | 'template' | 'brand' | 'data' | 'dealers' | 'review' | 'preferences';
export type TemplateTab = 'print' | 'email' | 'design' | 'email-design' | 'fields' | 'rules';

export interface Problem {
  message: string;
  details: string[];
}

/** Session state of the studio shell (never part of the document): screen, open template, data, record. */
interface Studio {
  bridge: Bridge;
  screen: Screen;
  go(s: Screen): void;
  template: TemplateSummary | null;
  setTemplate(t: TemplateSummary | null): void;
  dataset: DatasetView | null;
  setDataset(d: DatasetView | null): void;
  record: RecordView | null;
  index: number;
  goTo(index: number): void;
  /** Bumped whenever the template changes in main, so previews recompose. */
  revision: number;
  touch(): void;
  prefs: PrefsView | null;
  setPrefs(p: PrefsView): void;
  /** The Template screen tab another screen asked for (e.g. the Data screen's "Create fields…"); taken once. */
  templateTab: TemplateTab | null;
  openTemplateTab(tab: TemplateTab | null): void;
  /** File ▸ New is open (the dialog is shell state: the menu, Ctrl/Cmd+N and the Library open it). */
  creating: boolean;
  setCreating(open: boolean): void;
  problem: Problem | null;
  report(e: unknown): void;
  clearProblem(): void;
}

const Ctx = createContext<Studio | null>(null);

export const asProblem = (e: unknown): Problem =>
  e instanceof BridgeError
    ? { message: e.message, details: e.details }
    : { message: e instanceof Error ? e.message : String(e), details: [] };

export function StudioProvider({ bridge, children }: { bridge: Bridge; children: ReactNode }) {
  const [screen, go] = useState<Screen>('library');
  const [template, setTemplate] = useState<TemplateSummary | null>(null);
  const [dataset, setDataset] = useState<DatasetView | null>(null);
  const [index, setIndex] = useState(0);
  const [record, setRecord] = useState<RecordView | null>(null);
  const [revision, setRevision] = useState(0);
  const [prefs, setPrefs] = useState<PrefsView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [creating, setCreating] = useState(false);
  const [templateTab, setTemplateTab] = useState<TemplateTab | null>(null);
  const report = useCallback((e: unknown) => setProblem(asProblem(e)), []);

  useEffect(() => {
    bridge.call('prefs:get', {}).then(setPrefs, report);
  }, [bridge, report]);

  useEffect(() => {
    const t = prefs?.theme ?? 'system';
    const apply = () => {
      const dark = t === 'dark' || (t === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    };
    apply();
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    mq.addEventListener('change', apply);
    return () => mq.removeEventListener('change', apply);
  }, [prefs?.theme]);

  useEffect(() => {
    if (!template) return setRecord(null);
    let live = true;
    bridge.call('data:record', { templateId: template.id, datasetId: dataset?.id ?? null, index }).then(
      (r) => live && setRecord(r),
      (e: unknown) => live && report(e),
    );
    return () => {
      live = false;
    };
    // revision: a change in main (e.g. dealers attached) can change which variant the record resolves to.
  }, [bridge, template, dataset, index, revision, report]);

  // A template opens with the sample data it was last used with (data:list is most recently used first).
  const templateId = template?.id;
  useEffect(() => {
    if (!templateId) return;
    let live = true;
    bridge
      .call('data:list', { templateId })
      .then(async ({ datasets }) => {
        const first = datasets[0];
        if (!first) return;
        const view = await bridge.call('data:get', { datasetId: first.id });
        if (live) setDataset((d) => (d && d.templateId === templateId ? d : view));
      })
      .catch((e: unknown) => live && report(e));
    return () => {
      live = false;
    };
  }, [bridge, templateId, report]);

  const value = useMemo<Studio>(
    () => ({
      bridge,
      screen,
      go,
      template,
      setTemplate: (t) => {
        setTemplate(t);
        // Saving gives the same template back: its data and record stay.
        if (t?.id !== template?.id) {
          setDataset(null);
          setIndex(0);
        }
      },
      dataset,
      setDataset: (d) => {
        setDataset(d);
        if (d?.id !== dataset?.id) setIndex(0);
      },
      record,
      index,
      goTo: (i) => setIndex(Math.max(0, Math.min(i, (record?.total ?? 1) - 1))),
      revision,
      touch: () => setRevision((r) => r + 1),
      prefs,
      setPrefs,
      templateTab,
      openTemplateTab: (tab) => {
        setTemplateTab(tab);
        if (tab) go('template');
      },
      creating,
      setCreating,
      problem,
      report,
      clearProblem: () => setProblem(null),
    }),
    [bridge, screen, template, dataset, record, index, revision, prefs, templateTab, creating, problem, report],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useStudio(): Studio {
  const s = useContext(Ctx);
  if (!s) throw new Error('useStudio outside StudioProvider');
  return s;
}
