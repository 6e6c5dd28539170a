import { useEffect, useMemo, useState } from 'react';
import type { TemplateDocument } from '../../../../shared/model/document';
import * as ops from '../../../../shared/ops';
import type { Editor } from '../../../editor/editor';
import { useEditor } from '../../../panels/use-editor';
import { useStudio } from '../../../state/store';
import { Badge, Button, Notice, Panel } from '../../../ui';
import type { TemplateEditor } from '../use-template-editor';
import './rules.css';

const TYPE_LABELS: Record<ops.RuleType, string> = {
  text: 'Text',
  number: 'Number',
  date: 'Date',
  boolean: 'Yes/no',
  image: 'Image',
  url: 'Web address',
};

function TypeSelect({ value, onChange, label }: { value: ops.RuleType; onChange: (t: ops.RuleType) => void; label: string }) {
  return (
    <select className="input" value={value} aria-label={label} onChange={(e) => onChange(e.currentTarget.value as ops.RuleType)}>
      {ops.RULE_TYPES.map((t) => (
        <option key={t} value={t}>
          {TYPE_LABELS[t]}
        </option>
      ))}
    </select>
  );
}

/** "Today" for rules: the renderer's clock, as the composers' ISO date. */
const today = () => new Date().toISOString().slice(0, 10);

/**
 * The Rules panel: the template's named Liquid rules (add, rename everywhere, type, expression, description,
 * delete — refused with where a rule is used), each with its live value for the current record or its error
 * with line and column, and where it is used. Every change is one pure operation on the editor (undoable).
 */
export function RulesPanel({ loaded, problem }: { loaded: TemplateEditor | null; problem: string | null }) {
  if (problem) return <Notice tone="error">{problem}</Notice>;
  if (!loaded) return <div className="empty">Loading…</div>;
  return <Rules editor={loaded.editor} />;
}

function Rules({ editor }: { editor: Editor }) {
  const { record, index } = useStudio();
  const { document: doc } = useEditor(editor);
  const [message, setMessage] = useState<{ tone: 'error' | 'ok'; text: string } | null>(null);
  const [newName, setNewName] = useState('');
  const [newType, setNewType] = useState<ops.RuleType>('text');
  const [newExpression, setNewExpression] = useState('');
  /** Expressions being typed (not yet committed), so the value follows every key stroke. */
  const [drafts, setDrafts] = useState<Record<string, string>>({});

  const values = useMemo(() => recordValues(doc, record?.values), [doc, record]);
  const live = useMemo(() => {
    const withDrafts: TemplateDocument = {
      ...doc,
      rules: doc.rules.map((r) => (drafts[r.name] !== undefined ? { ...r, expression: drafts[r.name]! } : r)),
    };
    return new Map(ops.evaluateRules(withDrafts, values, index + 1, { today: today() }).map((o) => [o.name, o]));
  }, [doc, drafts, values, index]);

  const run = <A,>(op: ops.Op<A>, args: A, label: string, done?: string): boolean => {
    const r = editor.run(op, args, { label });
    if (r.ok) setMessage(done ? { tone: 'ok', text: done } : null);
    else if (r.error.code !== 'nothing-to-do') setMessage({ tone: 'error', text: r.error.message });
    return r.ok;
  };

  const add = () => {
    const name = newName.trim() || ops.freeRuleName(doc);
    if (
      run(
        ops.addRule,
        { rule: { name, type: newType, expression: newExpression } },
        'add rule',
        `Rule "${name}" added: use it as {{ rules.${name} }}.`,
      )
    ) {
      setNewName('');
      setNewExpression('');
    }
  };

  const commitExpression = (name: string) => {
    const text = drafts[name];
    if (text === undefined) return;
    run(ops.updateRule, { name, patch: { expression: text } }, 'rule expression');
    setDrafts(({ [name]: _, ...rest }) => rest);
  };

  return (
    <div className="rules-screen" data-testid="rules-editor">
      {message ? (
        <Notice tone={message.tone} testId="rules-message">
          {message.text}
        </Notice>
      ) : null}
      <Panel
        title={`Rules (${doc.rules.length})`}
        testId="rules-panel"
        flush
        actions={
          <>
            <span className="muted" data-testid="rules-record">
              Values for record {index + 1}
              {record ? ` of ${record.total}` : ''}
            </span>
            <Button size="small" disabled={!editor.canUndo} onClick={() => editor.undo()} title="Ctrl+Z">
              Undo{editor.canUndo ? ` ${editor.undoLabels.at(-1) ?? ''}` : ''}
            </Button>
            <Button size="small" disabled={!editor.canRedo} onClick={() => editor.redo()} title="Ctrl+Shift+Z">
              Redo
            </Button>
          </>
        }
      >
        {doc.rules.length === 0 ? (
          <p className="empty">
            No rules yet. A rule is a named value computed from each record with Liquid, e.g. a greeting that falls back when the first name
            is empty; text, conditions and the email read it as {'{{ rules.name }}'}.
          </p>
        ) : null}
        <div className="rules-list">
          {doc.rules.map((r) => {
            const outcome = live.get(r.name);
            const expression = drafts[r.name] ?? r.expression;
            const uses = ops.ruleUsages(doc, r.name);
            return (
              <div className="rule-card" key={r.name} data-testid={`rule-${r.name}`}>
                <div className="rule-head">
                  <CommitInput
                    value={r.name}
                    label={`Name of rule ${r.name}`}
                    onCommit={(to) =>
                      run(
                        ops.renameRule,
                        { from: r.name, to },
                        'rename rule',
                        `Renamed rules.${r.name} to rules.${to.trim()} everywhere it is used.`,
                      )
                    }
                  />
                  <TypeSelect
                    value={r.type}
                    label={`Type of rule ${r.name}`}
                    onChange={(type) => run(ops.updateRule, { name: r.name, patch: { type } }, 'rule type')}
                  />
                  <CommitInput
                    value={r.description ?? ''}
                    label={`Description of rule ${r.name}`}
                    placeholder="what it is for (optional)"
                    onCommit={(description) => run(ops.updateRule, { name: r.name, patch: { description } }, 'rule description')}
                  />
                  <Button
                    size="small"
                    variant="danger"
                    aria-label={`Delete rule ${r.name}`}
                    onClick={() => run(ops.removeRule, { name: r.name }, 'delete rule', `Rule "${r.name}" deleted.`)}
                  >
                    Delete
                  </Button>
                </div>
                <textarea
                  className="input rule-expression"
                  spellCheck={false}
                  aria-label={`Expression of rule ${r.name}`}
                  data-testid={`rule-expression-${r.name}`}
                  value={expression}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setDrafts((d) => ({ ...d, [r.name]: v }));
                  }}
                  onBlur={() => commitExpression(r.name)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) commitExpression(r.name);
                    if (e.key === 'Escape') setDrafts(({ [r.name]: _, ...rest }) => rest);
                  }}
                />
                <div className="rule-result">
                  <div>
                    <Badge tone={outcome?.ok ? 'ok' : 'danger'} title="The rule's type: what its value is read as">
                      {TYPE_LABELS[r.type]}
                    </Badge>{' '}
                    <span className="muted">{'{{ rules.' + r.name + ' }}'}</span>
                  </div>
                  {outcome?.ok ? (
                    <div className="rule-value" data-testid={`rule-value-${r.name}`} title="The value for the current record">
                      {outcome.value === '' ? <span className="muted">(empty)</span> : outcome.value}
                    </div>
                  ) : outcome ? (
                    <ProblemView expression={expression} problem={outcome.problem} name={r.name} />
                  ) : null}
                  <div data-testid={`rule-uses-${r.name}`}>
                    {uses.length ? (
                      <>
                        <span className="muted">Used by</span>
                        <ul className="rule-uses">
                          {uses.map((u) => (
                            <li key={u.path.join('.')}>{u.where}</li>
                          ))}
                        </ul>
                      </>
                    ) : (
                      <span className="muted">Not used yet</span>
                    )}
                  </div>
                </div>
              </div>
            );
          })}
        </div>
        <div className="rules-add">
          <input
            className="input"
            value={newName}
            placeholder="rule_name"
            aria-label="New rule name"
            data-testid="new-rule-name"
            onChange={(e) => setNewName(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && add()}
          />
          <TypeSelect value={newType} onChange={setNewType} label="New rule type" />
          <input
            className="input rule-expression-new"
            value={newExpression}
            spellCheck={false}
            placeholder="{% if first_name != blank %}Hi {{ first_name }}{% else %}Hello{% endif %}"
            aria-label="New rule expression"
            data-testid="new-rule-expression"
            onChange={(e) => setNewExpression(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && add()}
          />
          <Button onClick={add} data-testid="add-rule">
            Add rule
          </Button>
        </div>
      </Panel>
    </div>
  );
}

/** The error, where it is (line and column), and the line with a caret under that column. */
function ProblemView({ expression, problem, name }: { expression: string; problem: ops.RuleProblem; name: string }) {
  const line = problem.line !== undefined ? expression.split('\n')[problem.line - 1] : undefined;
  return (
    <div className="rule-error" role="alert" data-testid={`rule-error-${name}`}>
      {problem.line !== undefined ? (
        <strong data-testid={`rule-error-at-${name}`}>
          Line {problem.line}, column {problem.col}:{' '}
        </strong>
      ) : null}
      {problem.message}
      {line !== undefined && problem.col !== undefined ? (
        <pre className="rule-caret" aria-hidden>
          {line.slice(0, 80)}
          {'\n'}
          {' '.repeat(Math.min(problem.col - 1, 80))}^
        </pre>
      ) : null}
    </div>
  );
}

/** The current record's values; without data, the fields' sample values. */
function recordValues(doc: TemplateDocument, values: Record<string, string> | undefined): Record<string, unknown> {
  if (values) return values;
  const out: Record<string, unknown> = {};
  for (const f of doc.data.fields) if (f.sample !== undefined) out[f.name] = f.sample;
  return out;
}

function CommitInput({
  value,
  onCommit,
  label,
  placeholder,
}: {
  value: string;
  onCommit: (v: string) => void;
  label: string;
  placeholder?: string;
}) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <input
      className="input"
      value={draft}
      aria-label={label}
      placeholder={placeholder}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={() => draft !== value && onCommit(draft)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') setDraft(value);
      }}
    />
  );
}
