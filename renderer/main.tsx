import { createRoot } from 'react-dom/client';
import './ui/theme.css';
import { App } from './App';
import { createBridge } from './bridge';
import { StudioProvider } from './state/store';

const root = createRoot(document.getElementById('root')!);
try {
  const bridge = createBridge();
  root.render(
    <StudioProvider bridge={bridge}>
      <App />
    </StudioProvider>,
  );
} catch (e) {
  root.render(<div className="empty">{e instanceof Error ? e.message : String(e)}</div>);
}
