import type { DataProblem } from '../../shared/ipc/contract';
import { useId, type ButtonHTMLAttributes, type ReactNode, type InputHTMLAttributes } from 'react';

/** The design system's primitives. Screens compose these; they never style raw elements ad hoc. */

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'default' | 'danger';
  size?: 'small' | 'normal';
  busy?: boolean;
};
export function Button({ variant = 'default', size = 'normal', busy, className, children, disabled, ...rest }: ButtonProps) {
  const cls = [
    'btn',
    variant === 'primary' && 'btn-primary',
    variant === 'danger' && 'btn-danger',
    size === 'small' && 'btn-small',
    className,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <button type="button" className={cls} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy ? <span className="spinner" aria-hidden /> : null}
      {children}
    </button>
  );
}

/** A button that opens the system file picker; gives the chosen file's name and bytes (base64). */
export function FileButton({
  accept,
  label,
  onFile,
  variant,
  disabled,
  testId,
}: {
  accept: string;
  label: string;
  onFile: (f: { fileName: string; data: string }) => void;
  variant?: 'primary' | 'default';
  disabled?: boolean;
  testId?: string;
}) {
  const id = useId();
  return (
    <label className={`btn filebtn${variant === 'primary' ? ' btn-primary' : ''}`} htmlFor={id} aria-disabled={disabled}>
      {label}
      <input
        id={id}
        data-testid={testId}
        type="file"
        accept={accept}
        disabled={disabled}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void readFile(file).then(onFile);
        }}
      />
    </label>
  );
}

export async function readFile(file: File): Promise<{ fileName: string; data: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { fileName: file.name, data: btoa(bin) };
}

export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i += 1) out[i] = bin.charCodeAt(i);
  return out;
}

/** Save bytes through the browser (web host) or Electron's download flow (which asks where). */
export function saveDownload(d: { fileName: string; mediaType: string; data: string }): void {
  const url = URL.createObjectURL(new Blob([base64ToBytes(d.data)], { type: d.mediaType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = d.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function Panel({
  title,
  actions,
  children,
  flush,
  testId,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  flush?: boolean;
  testId?: string;
}) {
  return (
    <section className="panel" data-testid={testId}>
      {title !== undefined || actions ? (
        <header className="panel-head">
          {typeof title === 'string' ? <h2>{title}</h2> : title}
          {actions ? <div className="toolbar">{actions}</div> : null}
        </header>
      ) : null}
      <div className={`panel-body${flush ? ' flush' : ''}`}>{children}</div>
    </section>
  );
}

export function Field({ label, hint, children }: { label: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
      {hint ? <small>{hint}</small> : null}
    </label>
  );
}

export function Input(props: InputHTMLAttributes<HTMLInputElement>) {
  return <input className="input" {...props} />;
}

export function Toolbar({ children }: { children: ReactNode }) {
  return (
    <div className="toolbar" role="toolbar">
      {children}
    </div>
  );
}

export function Tabs<T extends string>({
  tabs,
  value,
  onChange,
  label,
}: {
  tabs: { id: T; label: string }[];
  value: T;
  onChange: (t: T) => void;
  label: string;
}) {
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          className="tab"
          aria-selected={t.id === value}
          tabIndex={t.id === value ? 0 : -1}
          onClick={() => onChange(t.id)}
          onKeyDown={(e) => {
            const i = tabs.findIndex((x) => x.id === value);
            const next =
              e.key === 'ArrowRight'
                ? tabs[(i + 1) % tabs.length]
                : e.key === 'ArrowLeft'
                  ? tabs[(i - 1 + tabs.length) % tabs.length]
                  : undefined;
            if (next) {
              onChange(next.id);
              e.preventDefault();
            }
          }}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

export function Badge({
  tone = 'neutral',
  children,
  title,
}: {
  tone?: 'neutral' | 'ok' | 'warn' | 'danger';
  children: ReactNode;
  title?: string;
}) {
  return (
    <span className={`badge${tone === 'neutral' ? '' : ` badge-${tone}`}`} title={title}>
      {children}
    </span>
  );
}

/** A list of data problems by row and column: the data screen's and the dealer sets'. */
export function ProblemTable({
  problems,
  whole,
}: {
  problems: readonly DataProblem[];
  /** What the row cell says for a problem of the whole file or set. */
  whole: string;
}) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Row</th>
          <th>Column</th>
          <th />
          <th>Problem</th>
        </tr>
      </thead>
      <tbody>
        {problems.map((p, i) => (
          <tr key={i}>
            <td className="mono">{p.row ?? whole}</td>
            <td>{p.column ?? '—'}</td>
            <td>
              <Badge tone={p.severity === 'error' ? 'danger' : 'warn'}>{p.severity}</Badge>
            </td>
            <td>{p.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Notice({
  tone = 'info',
  title,
  children,
  testId,
}: {
  tone?: 'info' | 'error' | 'warn' | 'ok';
  title?: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div className={`notice${tone === 'info' ? '' : ` notice-${tone}`}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {title ? <strong>{title}</strong> : null}
      {children ? <div>{children}</div> : null}
    </div>
  );
}

export function Progress({ done, total, label }: { done: number; total: number; label: string }) {
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
      <div style={{ width: `${pct}%` }} />
    </div>
  );
}
