import { useEffect, useState } from 'react';
import { FIELD_TYPES, type DataField, type FieldType } from '../../../../shared/model/data-schema';
import * as ops from '../../../../shared/ops';
import type { ColumnGuess } from '../../../../shared/ops/column-guess';
import type { Editor } from '../../../editor/editor';
import { useEditor } from '../../../panels/use-editor';
import { useStudio } from '../../../state/store';
import { Badge, Button, Notice, Panel } from '../../../ui';
import { whenSaved } from '../drafts';
import type { TemplateEditor } from '../use-template-editor';
import './fields.css';

const TYPE_LABELS: Record<FieldType, string> = {
  text: 'Text',
  number: 'Number',
  money: 'Money',
  date: 'Date',
  email: 'Email',
  url: 'Web address',
  image: 'Image',
  boolean: 'Yes/no',
};

function TypeSelect({ value, onChange, label }: { value: FieldType; onChange: (t: FieldType) => void; label: string }) {
  return (
    <select className="input" value={value} aria-label={label} onChange={(e) => onChange(e.currentTarget.value as FieldType)}>
      {FIELD_TYPES.map((t) => (
        <option key={t} value={t}>
          {TYPE_LABELS[t]}
        </option>
      ))}
    </select>
  );
}

/** A text input that commits on Enter or when it loses focus, and goes back on Escape. */
function CommitInput({
  value,
  onCommit,
  label,
  placeholder,
  testId,
}: {
  value: string;
  onCommit: (v: string) => void;
  label: string;
  placeholder?: string;
  testId?: string;
}) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <input
      className="input"
      value={draft}
      aria-label={label}
      placeholder={placeholder}
      data-testid={testId}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={() => draft !== value && onCommit(draft)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') setDraft(value);
      }}
    />
  );
}

const sampleText = (s: DataField['sample']) => (s === undefined ? '' : String(s));

/** The sample as the field's type reads it ("12,50" in de-DE is 12.5); text when it does not read. */
function typedSample(type: FieldType, text: string): DataField['sample'] | null {
  if (text === '') return null;
  if (type === 'number' || type === 'money') {
    const n = Number(text.replace(',', '.'));
    return Number.isFinite(n) ? n : text;
  }
  if (type === 'boolean') return /^(true|yes|ja|1)$/i.test(text.trim());
  return text;
}

/**
 * The Fields editor: the template's data fields (add, rename everywhere, type, required, sample, aliases,
 * record key, reorder, delete — refused with where a field is used), the data's locale and currency, and
 * "create fields from these columns" for the columns of the current data file that no field reads.
 * Every change is one pure operation on the editor, so it is undoable like a canvas edit.
 */
export function FieldsEditor({ loaded, problem }: { loaded: TemplateEditor | null; problem: string | null }) {
  if (problem) return <Notice tone="error">{problem}</Notice>;
  if (!loaded) return <div className="empty">Loading…</div>;
  return <Fields editor={loaded.editor} />;
}

function Fields({ editor }: { editor: Editor }) {
  const { bridge, dataset, setDataset, report } = useStudio();
  const { document: doc, session } = useEditor(editor);
  const [message, setMessage] = useState<{ tone: 'error' | 'ok'; text: string } | null>(null);
  const [newName, setNewName] = useState('');
  const [newType, setNewType] = useState<FieldType>('text');
  const fields = doc.data.fields;

  // The data file reads the fields: after a change is journalled, read it again (ignored columns, problems).
  const dataSchema = doc.data;
  useEffect(() => {
    if (!dataset) return;
    let live = true;
    void whenSaved()
      .then(() => bridge.call('data:get', { datasetId: dataset.id }))
      .then((d) => live && setDataset(d), report);
    return () => {
      live = false;
    };
    // Only a change of the fields re-reads; the dataset object itself changes on every read.
  }, [dataSchema, dataset?.id]);

  const run = <A,>(op: ops.Op<A>, args: A, label: string, done?: string): boolean => {
    const r = editor.run(op, args, { label });
    if (r.ok) setMessage(done ? { tone: 'ok', text: done } : null);
    else setMessage({ tone: 'error', text: r.error.message });
    return r.ok;
  };

  const add = () => {
    const name = newName.trim();
    if (!name) return setMessage({ tone: 'error', text: 'Type a name for the new field first.' });
    if (run(ops.addField, { field: { name, type: newType } }, 'add field', `Field "${name}" added.`)) setNewName('');
  };

  return (
    <div className="fields-screen" data-testid="fields-editor">
      {message ? (
        <Notice tone={message.tone} testId="fields-message">
          {message.text}
        </Notice>
      ) : null}
      <Panel
        title={`Fields (${fields.length})`}
        testId="fields-panel"
        flush
        actions={
          <>
            <Button size="small" disabled={!editor.canUndo} onClick={() => editor.undo()} title="Ctrl+Z">
              Undo{editor.canUndo ? ` ${editor.undoLabels.at(-1) ?? ''}` : ''}
            </Button>
            <Button size="small" disabled={!editor.canRedo} onClick={() => editor.redo()} title="Ctrl+Shift+Z">
              Redo
            </Button>
          </>
        }
      >
        <table className="table fields-table">
          <thead>
            <tr>
              <th>Name (used as {'{{ name }}'})</th>
              <th>Type</th>
              <th title="A record without a value is an error">Required</th>
              <th title="Identifies a record in reports and file names">Record key</th>
              <th>Sample value</th>
              <th>Other column names (aliases)</th>
              <th aria-label="Order and delete" />
            </tr>
          </thead>
          <tbody>
            {fields.map((f, i) => (
              <tr key={`${i}-${f.name}`} data-testid={`field-row-${f.name}`}>
                <td>
                  <CommitInput
                    value={f.name}
                    label={`Name of field ${f.name}`}
                    testId={`field-name-${f.name}`}
                    onCommit={(to) =>
                      run(
                        ops.renameField,
                        { from: f.name, to: to.trim() },
                        'rename field',
                        `Renamed "${f.name}" to "${to.trim()}" everywhere it is used.`,
                      )
                    }
                  />
                </td>
                <td>
                  <TypeSelect
                    value={f.type}
                    label={`Type of ${f.name}`}
                    onChange={(type) => {
                      const sample = f.sample === undefined ? null : typedSample(type, sampleText(f.sample));
                      run(ops.updateField, { name: f.name, patch: { type, sample } }, 'field type');
                    }}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    checked={f.required}
                    aria-label={`${f.name} is required`}
                    onChange={(e) => run(ops.updateField, { name: f.name, patch: { required: e.currentTarget.checked } }, 'required field')}
                  />
                </td>
                <td>
                  <input
                    type="radio"
                    name="record-key"
                    checked={doc.data.recordKey === f.name}
                    aria-label={`${f.name} is the record key`}
                    onChange={() => run(ops.setRecordKey, { name: f.name }, 'record key')}
                  />
                </td>
                <td>
                  <CommitInput
                    value={sampleText(f.sample)}
                    label={`Sample value of ${f.name}`}
                    placeholder="shown before data is loaded"
                    onCommit={(v) => run(ops.updateField, { name: f.name, patch: { sample: typedSample(f.type, v) } }, 'sample value')}
                  />
                </td>
                <td>
                  <CommitInput
                    value={f.aliases.join(', ')}
                    label={`Aliases of ${f.name}`}
                    placeholder="e.g. E-Mail, Mail"
                    onCommit={(v) => run(ops.updateField, { name: f.name, patch: { aliases: v.split(',') } }, 'aliases')}
                  />
                </td>
                <td className="fields-actions">
                  <Button
                    size="small"
                    disabled={i === 0}
                    aria-label={`Move ${f.name} up`}
                    onClick={() => run(ops.moveField, { name: f.name, toIndex: i - 1 }, 'reorder fields')}
                  >
                    ↑
                  </Button>
                  <Button
                    size="small"
                    disabled={i === fields.length - 1}
                    aria-label={`Move ${f.name} down`}
                    onClick={() => run(ops.moveField, { name: f.name, toIndex: i + 1 }, 'reorder fields')}
                  >
                    ↓
                  </Button>
                  <Button
                    size="small"
                    variant="danger"
                    aria-label={`Delete field ${f.name}`}
                    onClick={() => run(ops.removeField, { name: f.name }, 'delete field', `Field "${f.name}" deleted.`)}
                  >
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="toolbar fields-add">
          <input
            className="input"
            value={newName}
            placeholder="new_field_name"
            aria-label="New field name"
            data-testid="new-field-name"
            onChange={(e) => setNewName(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && add()}
          />
          <TypeSelect value={newType} onChange={setNewType} label="New field type" />
          <Button onClick={add} data-testid="add-field">
            Add field
          </Button>
          <div className="spacer" />
          <label className="fields-format">
            Locale{' '}
            <CommitInput
              value={doc.data.locale}
              label="Data locale"
              onCommit={(locale) => run(ops.setDataFormat, { locale }, 'data locale')}
            />
          </label>
          <label className="fields-format">
            Currency{' '}
            <CommitInput
              value={doc.data.currency}
              label="Currency"
              onCommit={(currency) => run(ops.setDataFormat, { currency }, 'currency')}
            />
          </label>
        </div>
        {session.lastError && !message ? <p className="muted">{session.lastError.message}</p> : null}
      </Panel>
      {dataset && dataset.templateId === doc.id && dataset.ignored.length ? (
        <ColumnsToFields
          key={dataset.id + JSON.stringify(dataset.ignored)}
          editor={editor}
          guesses={dataset.ignored}
          file={dataset.name}
          onMessage={setMessage}
        />
      ) : null}
    </div>
  );
}

/** "Create fields from these columns": the typed guesses for the ignored columns, to confirm or correct. */
function ColumnsToFields({
  editor,
  guesses,
  file,
  onMessage,
}: {
  editor: Editor;
  guesses: ColumnGuess[];
  file: string;
  onMessage: (m: { tone: 'error' | 'ok'; text: string }) => void;
}) {
  const [rows, setRows] = useState(() => guesses.map((g) => ({ ...g, use: true })));
  const set = (i: number, patch: Partial<(typeof rows)[number]>) => setRows((rs) => rs.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const chosen = rows.filter((r) => r.use);
  const create = () => {
    const r = editor.run(ops.addFields, { fields: ops.fieldsFromGuesses(chosen) }, { label: 'create fields from columns' });
    onMessage(
      r.ok
        ? { tone: 'ok', text: `${chosen.length} field${chosen.length === 1 ? '' : 's'} created from the columns of ${file}.` }
        : { tone: 'error', text: r.error.message },
    );
  };
  return (
    <Panel
      title={`Columns in ${file} that no field reads (${guesses.length})`}
      testId="columns-to-fields"
      flush
      actions={
        <Button variant="primary" disabled={!chosen.length} onClick={create} data-testid="create-fields">
          Create {chosen.length} field{chosen.length === 1 ? '' : 's'} from these columns
        </Button>
      }
    >
      <table className="table fields-table">
        <thead>
          <tr>
            <th>Create</th>
            <th>Column</th>
            <th>Field name</th>
            <th>Type (guessed)</th>
            <th>Required</th>
            <th>First value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g, i) => (
            <tr key={g.header} data-testid={`guess-${g.header}`}>
              <td>
                <input
                  type="checkbox"
                  checked={g.use}
                  aria-label={`Create a field for ${g.header}`}
                  onChange={(e) => set(i, { use: e.currentTarget.checked })}
                />
              </td>
              <td>{g.header}</td>
              <td>
                <input
                  className="input"
                  value={g.name}
                  aria-label={`Field name for ${g.header}`}
                  onChange={(e) => set(i, { name: e.currentTarget.value })}
                />
              </td>
              <td>
                <TypeSelect value={g.type} label={`Type for ${g.header}`} onChange={(type) => set(i, { type, sample: undefined })} />
              </td>
              <td>
                <input
                  type="checkbox"
                  checked={g.required}
                  aria-label={`${g.header} is required`}
                  onChange={(e) => set(i, { required: e.currentTarget.checked })}
                />
              </td>
              <td className="muted fields-sample">{g.sample === undefined ? <Badge>empty</Badge> : String(g.sample)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
