import { useState } from 'react';
import type { Editor } from '../../editor/editor';
import { useEditor } from '../use-editor';
import { FieldPicker } from '../properties/fields';
import { insertAt, LiquidText } from './BlockPanels';
import { updateEmailEnvelope, type EmailEnvelopePatch } from './channel-ops';

type Key = 'subject' | 'preheader' | 'fromName' | 'fromEmail';

/** Subject, preheader and sender (all Liquid, checked as you type), with Insert field… at the caret. */
export function EnvelopePanel({ editor }: { editor: Editor }) {
  const { document: doc } = useEditor(editor);
  const [caret, setCaret] = useState<{ key: Key; pos: number }>({ key: 'subject', pos: Number.MAX_SAFE_INTEGER });
  const email = doc.email;
  if (!email) return null;
  const value: Record<Key, string> = {
    subject: email.subject,
    preheader: email.preheader,
    fromName: email.from.name,
    fromEmail: email.from.email,
  };
  const patchFor = (key: Key, v: string): EmailEnvelopePatch =>
    key === 'subject'
      ? { subject: v }
      : key === 'preheader'
        ? { preheader: v }
        : key === 'fromName'
          ? { from: { ...email.from, name: v } }
          : { from: { ...email.from, email: v } };
  const commit = (key: Key, v: string) => editor.run(updateEmailEnvelope, { patch: patchFor(key, v) }, { label: `email ${key}` });
  const field = (key: Key, label: string, required: boolean) => (
    <label className="em-env-field">
      <span>{label}</span>
      <LiquidText
        doc={doc}
        required={required}
        value={value[key]}
        testId={`email-${key}`}
        onCaret={(pos) => setCaret({ key, pos })}
        onCommit={(v) => commit(key, v)}
      />
    </label>
  );
  return (
    <div className="side-panel em-envelope" data-testid="email-envelope">
      <div className="em-env-grid">
        {field('subject', 'Subject', true)}
        {field('preheader', 'Preheader', false)}
        {field('fromName', 'From name', false)}
        {field('fromEmail', 'From address', true)}
      </div>
      <div className="toolbar">
        <FieldPicker
          doc={doc}
          testId="envelope-insert-field"
          onInsert={(liquid) => commit(caret.key, insertAt(value[caret.key], caret.pos, liquid))}
        />
        <span className="muted">
          into the {caret.key === 'fromName' ? 'from name' : caret.key === 'fromEmail' ? 'from address' : caret.key} at the cursor
        </span>
      </div>
    </div>
  );
}
