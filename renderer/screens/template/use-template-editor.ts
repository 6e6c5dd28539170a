import { useEffect, useState } from 'react';
import { useStudio } from '../../state/store';
import { Editor } from '../../editor/editor';
import { parseTemplateDocument } from '../../../shared/model/validate';
import type { TemplateDocument } from '../../../shared/model/document';
import { StudioCanvasServices } from './canvas-services';
import { DraftSaver, registerDrafts } from './drafts';

const newId = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const today = () => new Date().toISOString().slice(0, 10);

/** The one Editor of the open template, with the canvas services and the draft journal it feeds. */
export interface TemplateEditor {
  editor: Editor;
  services: StudioCanvasServices;
  drafts: DraftSaver;
}

/**
 * Open the template's document once per Template screen and keep one Editor for it, shared by the canvas
 * (Design) and the email design view, so one undo history covers both. Every edit is journalled by main
 * as a draft (`template:autosave`); previews wait for it (`whenSaved`).
 */
export function useTemplateEditor(): { loaded: TemplateEditor | null; problem: string | null; draftRevision: number } {
  const { bridge, template, report, touch } = useStudio();
  const [loaded, setLoaded] = useState<TemplateEditor | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [draftRevision, setDraftRevision] = useState(0);
  const id = template!.id;

  useEffect(() => {
    let live = true;
    let cleanup: (() => void) | undefined;
    setLoaded(null);
    setProblem(null);
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
        setDraftRevision((n) => n + 1);
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

  return { loaded, problem, draftRevision };
}
