import { Menu, type MenuItemConstructorOptions, type BrowserWindow } from 'electron';
import type { EventOf } from '../shared/ipc/contract';

type Command = EventOf<'menu:command'>['command'];

/**
 * The application menu with the usual accelerators. Document commands go to the renderer as
 * `menu:command` events (the editor owns undo, the screens own open/save); Quit, zoom and devtools are native.
 */
export function buildMenu(opts: {
  send: (command: Command) => void;
  recent: () => { path: string; name: string }[];
  openRecent: (path: string) => void;
  isMac: boolean;
  dev: boolean;
}): Menu {
  const cmd = (label: string, command: Command, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => opts.send(command),
  });
  // Editor commands: the menu click goes to the renderer as `menu:command`; the key itself is left to the
  // page (shown, not registered on Windows/Linux), whose key map knows whether the focus is in a text field
  // (native undo there) or on the canvas (the editor's undo). So one key press is one undo.
  const editorCmd = (label: string, command: Command, accelerator: string): MenuItemConstructorOptions => ({
    ...cmd(label, command, accelerator),
    registerAccelerator: false,
  });
  const recent = opts.recent();
  const template: MenuItemConstructorOptions[] = [
    ...(opts.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        cmd('New', 'new', 'CmdOrCtrl+N'),
        cmd('Open…', 'open', 'CmdOrCtrl+O'),
        {
          label: 'Open Recent',
          submenu: recent.length
            ? recent.map((r) => ({ label: `${r.name} — ${r.path}`, click: () => opts.openRecent(r.path) }))
            : [{ label: 'No recent files', enabled: false }],
        },
        { type: 'separator' },
        cmd('Save', 'save', 'CmdOrCtrl+S'),
        cmd('Save As…', 'saveAs', 'CmdOrCtrl+Shift+S'),
        cmd('Export…', 'export', 'CmdOrCtrl+E'),
        { type: 'separator' },
        cmd(opts.isMac ? 'Settings…' : 'Preferences…', 'preferences', 'CmdOrCtrl+,'),
        ...(opts.isMac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const, accelerator: 'Ctrl+Q' }]),
      ],
    },
    {
      label: '&Edit',
      submenu: [
        editorCmd('Undo', 'undo', 'CmdOrCtrl+Z'),
        editorCmd('Redo', 'redo', opts.isMac ? 'Cmd+Shift+Z' : 'Ctrl+Y'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        editorCmd('Duplicate', 'duplicate', 'CmdOrCtrl+D'),
        editorCmd('Group', 'group', 'CmdOrCtrl+G'),
        editorCmd('Ungroup', 'ungroup', 'CmdOrCtrl+Shift+G'),
      ],
    },
    {
      label: '&View',
      submenu: [
        cmd('Zoom In', 'zoomIn', 'CmdOrCtrl+='),
        cmd('Zoom Out', 'zoomOut', 'CmdOrCtrl+-'),
        cmd('Actual Size', 'zoomReset', 'CmdOrCtrl+0'),
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(opts.dev ? [{ role: 'toggleDevTools' as const }] : []),
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}

export const sendTo = (win: BrowserWindow | undefined) => (command: Command) => win?.webContents.send('menu:command', { command });
