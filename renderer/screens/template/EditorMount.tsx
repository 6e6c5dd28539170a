import { useEffect, useRef, useState } from 'react';
import { useStudio } from '../../state/store';
import { Notice } from '../../ui';
import { Editor } from '../../editor/editor';
import { mountCanvas } from '../../canvas';
import { parseTemplateDocument } from '../../../shared/model/validate';
import type { TemplateDocument } from '../../../shared/model/document';
import { StudioCanvasServices } from './canvas-services';
import { DraftSaver, registerDrafts } from './drafts';
import { EditorToolbar } from '../../panels/EditorToolbar';
import { PagesPanel } from '../../panels/PagesPanel';
import { LayersPanel } from '../../panels/LayersPanel';
import { PropertiesPanel } from '../../panels/properties/PropertiesPanel';
import { EditorStatus } from '../../panels/EditorStatus';
import type { LengthUnit } from '../../../shared/model/units';
import '../../panels/editor.css';

const newId = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const today = () => new Date().toISOString().slice(0, 10);

interface Loaded {
  editor: Editor;
  services: StudioCanvasServices;
  drafts: DraftSaver;
}

/**
 * The canvas editor in the Template screen. The document comes from the open template (main's library),
 * every edit runs through the headless Editor (pure operations, undo/redo) and is journalled by main as a
 * draft (`template:autosave`); Save packages it. The record bar's record drives the text on the canvas,
 * laid out by shared/text exactly as the PDF proof is.
 */
export function EditorMount() {
  const { bridge, template, dataset, index, report, touch } = useStudio();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [, setSaved] = useState(0);
  const [unit, setUnit] = useState<LengthUnit>('mm');
  const host = useRef<HTMLDivElement>(null);
  const id = template!.id;

  // Open: the document from main, parsed at the edge.
  useEffect(() => {
    let live = true;
    let cleanup: (() => void) | undefined;
    bridge.call('template:get', { id }).then((t) => {
      if (!live) return;
      const parsed = parseTemplateDocument(t.document);
      if (!parsed.ok) {
        setProblem(
          `The template cannot be edited: ${parsed.issues
            .slice(0, 3)
            .map((i) => `${i.path}: ${i.message}`)
            .join('; ')}.`,
        );
        return;
      }
      const doc: TemplateDocument = parsed.document;
      const editor = new Editor(doc, { idGen: newId });
      const services = new StudioCanvasServices(bridge, id, () => editor.document, today());
      const drafts = new DraftSaver(bridge, id, doc, () => {
        setSaved((n) => n + 1);
        if (drafts.error) report(drafts.error);
        else touch();
      });
      const unregister = registerDrafts(drafts);
      const unsubscribe = editor.subscribe(() => drafts.change(editor.document));
      void services.loadFonts();
      cleanup = () => {
        unsubscribe();
        void drafts.flush().finally(unregister);
        services.dispose();
      };
      setLoaded({ editor, services, drafts });
    }, report);
    return () => {
      live = false;
      cleanup?.();
    };
    // Only a different template reloads: the editor must not reload on its own saves (touch bumps the revision).
  }, [bridge, id]);

  // Mount the canvas view once the editor exists.
  useEffect(() => {
    if (!loaded || !host.current) return;
    return mountCanvas(host.current, loaded.editor, loaded.services);
  }, [loaded]);

  // The record bar's record: fetch its typed values, then show it.
  useEffect(() => {
    if (!loaded) return;
    let live = true;
    loaded.services.loadRecord(dataset?.id ?? null, index).then(() => live && loaded.editor.setRecordIndex(index), report);
    return () => {
      live = false;
    };
  }, [loaded, dataset, index, report]);
  useEffect(() => loaded?.services.resetRecords(), [loaded, dataset]);

  if (problem) return <Notice tone="error" title={problem} testId="editor-problem" />;
  return (
    <div className="editor" data-testid="editor">
      {loaded ? <EditorToolbar editor={loaded.editor} unit={unit} setUnit={setUnit} /> : null}
      <div className="editor-body">
        <aside className="editor-side">
          {loaded ? <PagesPanel editor={loaded.editor} /> : null}
          {loaded ? <LayersPanel editor={loaded.editor} /> : null}
        </aside>
        <div className="editor-canvas" ref={host} data-testid="editor-canvas" aria-label="Page canvas" />
        <aside className="editor-side editor-props">{loaded ? <PropertiesPanel editor={loaded.editor} unit={unit} /> : null}</aside>
      </div>
      {loaded ? <EditorStatus editor={loaded.editor} draftSavedAt={loaded.drafts.savedAt} problem={loaded.services.problem} /> : null}
    </div>
  );
}
