import { useEffect, useState } from 'react';
import { useStudio } from '../state/store';
import { Button, Field, Input, Notice, Panel } from '../ui';

export function PreferencesScreen() {
  const { bridge, prefs, setPrefs, report } = useStudio();
  const [url, setUrl] = useState(prefs?.serverUrl ?? '');
  const [token, setToken] = useState('');
  const [approverToken, setApproverToken] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => setUrl(prefs?.serverUrl ?? ''), [prefs?.serverUrl]);

  const save = async () => {
    try {
      const p = await bridge.call('prefs:set', {
        serverUrl: url.trim(),
        ...(token ? { token } : {}),
        ...(approverToken ? { approverToken } : {}),
      });
      setPrefs(p);
      setToken('');
      setApproverToken('');
      setSaved(true);
    } catch (e) {
      report(e);
    }
  };
  return (
    <div className="screen" style={{ maxWidth: 760 }}>
      <h1>Preferences</h1>
      <Panel title="Presswork Server">
        <div style={{ display: 'grid', gap: 12 }}>
          <Field label="Server URL" hint="Where Publish sends templates, e.g. https://presswork.example.com">
            <Input
              data-testid="server-url"
              value={url}
              onChange={(e) => (setUrl(e.currentTarget.value), setSaved(false))}
              placeholder="https://…"
            />
          </Field>
          <Field
            label="Publisher token"
            hint={
              prefs?.hasToken ? 'A token is saved. Type a new one to replace it.' : 'Create a token with the publisher role on the server.'
            }
          >
            <Input
              data-testid="server-token"
              type="password"
              autoComplete="off"
              value={token}
              onChange={(e) => (setToken(e.currentTarget.value), setSaved(false))}
              placeholder={prefs?.hasToken ? '•••••••• (saved)' : 'Paste the token'}
            />
          </Field>
          <Field
            label="Approver token"
            hint={
              prefs?.hasApproverToken
                ? 'An approver token is saved: Review records decisions with it. Type a new one to replace it.'
                : 'Optional: a token with the approver role, so a brand manager approves without swapping tokens.'
            }
          >
            <Input
              data-testid="server-approver-token"
              type="password"
              autoComplete="off"
              value={approverToken}
              onChange={(e) => (setApproverToken(e.currentTarget.value), setSaved(false))}
              placeholder={prefs?.hasApproverToken ? '•••••••• (saved)' : 'Paste the token'}
            />
          </Field>
          <Notice
            tone={prefs?.encrypted ? 'ok' : 'warn'}
            title={
              prefs?.encrypted
                ? 'The token is stored encrypted by the operating system.'
                : 'The token is not protected by the operating system here.'
            }
          >
            Stored {prefs?.tokenStorage ?? '…'}.
          </Notice>
          <div className="toolbar">
            <Button variant="primary" onClick={() => void save()} data-testid="save-prefs">
              Save
            </Button>
            {prefs?.hasToken ? (
              <Button variant="danger" onClick={() => void bridge.call('prefs:set', { token: null }).then(setPrefs, report)}>
                Forget token
              </Button>
            ) : null}
            {prefs?.hasApproverToken ? (
              <Button variant="danger" onClick={() => void bridge.call('prefs:set', { approverToken: null }).then(setPrefs, report)}>
                Forget approver token
              </Button>
            ) : null}
            {saved ? (
              <span className="muted" data-testid="prefs-saved">
                Saved.
              </span>
            ) : null}
          </div>
        </div>
      </Panel>
      <Panel title="Appearance">
        <Field label="Theme">
          <select
            className="input"
            value={prefs?.theme ?? 'system'}
            onChange={(e) =>
              void bridge.call('prefs:set', { theme: e.currentTarget.value as 'system' | 'light' | 'dark' }).then(setPrefs, report)
            }
            data-testid="theme"
          >
            <option value="system">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </Field>
      </Panel>
    </div>
  );
}
