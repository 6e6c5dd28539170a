import { useEffect } from 'react';
import { useStudio, type Screen } from './state/store';
import { Button, Notice } from './ui';
import { LibraryScreen } from './screens/LibraryScreen';
import { TemplateScreen } from './screens/template/TemplateScreen';
import { BrandScreen } from './screens/BrandScreen';
import { DataScreen } from './screens/DataScreen';
import { PreferencesScreen } from './screens/PreferencesScreen';
import { RecordBar } from './screens/RecordBar';
import { ReviewScreen } from './screens/review/ReviewScreen';
import { NewTemplateDialog } from './screens/NewTemplateDialog';
import { VariantsScreen } from './screens/VariantsScreen';

const NAV: { id: Screen; label: string; needsTemplate: boolean }[] = [
  { id: 'library', label: 'Library', needsTemplate: false },
  { id: 'template', label: 'Template & preview', needsTemplate: true },
  { id: 'brand', label: 'Brand kit', needsTemplate: true },
  { id: 'data', label: 'Data', needsTemplate: true },
  { id: 'dealers', label: 'Dealers', needsTemplate: true },
  { id: 'review', label: 'Review', needsTemplate: true },
  { id: 'preferences', label: 'Preferences', needsTemplate: false },
];

export function App() {
  const s = useStudio();
  const { bridge, go, setTemplate, report, setCreating } = s;

  useEffect(() => {
    const offMenu = bridge.on('menu:command', ({ command }) => {
      if (command === 'preferences') go('preferences');
      if (command === 'open') go('library');
      if (command === 'new') setCreating(true);
    });
    // In Electron the menu's accelerator sends `menu:command`; the browser studio has no menu, so the page
    // takes Ctrl/Cmd+N itself.
    const onKey = (e: KeyboardEvent) => {
      if (bridge.transport === 'web' && (e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        setCreating(true);
      }
    };
    window.addEventListener('keydown', onKey);
    const offOpened = bridge.on('template:opened', ({ id }) => {
      bridge.call('template:get', { id }).then((t) => {
        setTemplate(t.summary);
        go('template');
      }, report);
    });
    return () => {
      offMenu();
      offOpened();
      window.removeEventListener('keydown', onKey);
    };
  }, [bridge, go, setTemplate, report, setCreating]);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brandmark">
          <i aria-hidden /> Presswork Studio
        </div>
        <div className="muted" data-testid="current-template">
          {s.template ? s.template.name : 'No template open'}
        </div>
        {s.template ? <RecordBar /> : null}
      </header>
      <nav className="sidebar" aria-label="Screens">
        {NAV.map((n) => {
          const disabled = n.needsTemplate && !s.template;
          return (
            <button
              key={n.id}
              type="button"
              className="nav-item"
              aria-current={s.screen === n.id ? 'page' : undefined}
              aria-disabled={disabled || undefined}
              onClick={() => !disabled && go(n.id)}
              title={disabled ? 'Open a template first' : undefined}
            >
              {n.label}
            </button>
          );
        })}
        <div style={{ flex: 1 }} />
        <div className="muted" style={{ fontSize: 11, padding: '0 12px' }}>
          {bridge.transport === 'web' ? 'Browser studio (web host)' : 'Desktop studio'}
        </div>
      </nav>
      <main className="main">
        {s.screen === 'library' && <LibraryScreen />}
        {s.screen === 'template' && s.template && <TemplateScreen />}
        {s.screen === 'brand' && s.template && <BrandScreen />}
        {s.screen === 'data' && s.template && <DataScreen />}
        {s.screen === 'dealers' && s.template && <VariantsScreen />}
        {s.screen === 'review' && s.template && <ReviewScreen />}
        {s.screen === 'preferences' && <PreferencesScreen />}
      </main>
      {s.creating ? <NewTemplateDialog /> : null}
      {s.problem ? (
        <div className="toast" data-testid="problem">
          <Notice tone="error" title={s.problem.message}>
            {s.problem.details.length ? (
              <ul>
                {s.problem.details.slice(0, 8).map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ) : null}
            <div style={{ marginTop: 8 }}>
              <Button size="small" onClick={s.clearProblem}>
                Dismiss
              </Button>
            </div>
          </Notice>
        </div>
      ) : null}
    </div>
  );
}
