import { useEffect, useRef, useState } from 'react';
import { useStudio } from '../../state/store';
import { Notice } from '../../ui';
import { mountCanvas, mountRulers } from '../../canvas';
import type { TemplateEditor } from './use-template-editor';
import { EditorToolbar } from '../../panels/EditorToolbar';
import { PagesPanel } from '../../panels/PagesPanel';
import { LayersPanel } from '../../panels/LayersPanel';
import { PropertiesPanel } from '../../panels/properties/PropertiesPanel';
import { EditorStatus } from '../../panels/EditorStatus';
import type { LengthUnit } from '../../../shared/model/units';
import '../../panels/editor.css';

/**
 * The canvas editor in the Template screen (Design tab). The Editor comes from the Template screen
 * (`useTemplateEditor`: one per open template, shared with the email design view, so undo covers both);
 * every edit runs through it (pure operations, undo/redo) and is journalled by main as a draft. The record
 * bar's record drives the text on the canvas, laid out by shared/text exactly as the PDF proof is.
 */
export function EditorMount({ loaded, problem }: { loaded: TemplateEditor | null; problem: string | null }) {
  const { dataset, index, report } = useStudio();
  const [unit, setUnit] = useState<LengthUnit>('mm');
  const host = useRef<HTMLDivElement>(null);

  // Mount the canvas view once the editor exists, with rulers in the panel's unit.
  const rulers = useRef<ReturnType<typeof mountRulers> | null>(null);
  useEffect(() => {
    if (!loaded || !host.current) return;
    const unmount = mountCanvas(host.current, loaded.editor, loaded.services);
    rulers.current = mountRulers(host.current, loaded.editor, unit);
    return () => {
      rulers.current?.unmount();
      rulers.current = null;
      unmount();
    };
    // The unit follows below without remounting.
  }, [loaded]);
  useEffect(() => rulers.current?.setUnit(unit), [unit]);

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
