import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';

// A mocked electron: the template given to Menu.buildFromTemplate is what the test inspects.
vi.mock('electron', () => ({ Menu: { buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }) } }));
const { buildMenu, sendTo } = await import('./menu');

type Built = { template: MenuItemConstructorOptions[] };
const menu = (send = vi.fn()) =>
  (buildMenu({ send, recent: () => [], openRecent: () => undefined, isMac: false, dev: false }) as unknown as Built).template;
const item = (template: MenuItemConstructorOptions[], top: string, label: string) => {
  const sub = template.find((m) => m.label === top)?.submenu as MenuItemConstructorOptions[];
  const found = sub.find((m) => m.label === label);
  if (!found) throw new Error(`no ${top} → ${label}`);
  return found;
};
const click = (i: MenuItemConstructorOptions) => (i.click as () => void)();

describe('application menu → renderer', () => {
  it('Edit → Undo / Redo / Duplicate / Group / Ungroup send their commands', () => {
    const send = vi.fn();
    const t = menu(send);
    for (const [label, command] of [
      ['Undo', 'undo'],
      ['Redo', 'redo'],
      ['Duplicate', 'duplicate'],
      ['Group', 'group'],
      ['Ungroup', 'ungroup'],
    ] as const) {
      click(item(t, '&Edit', label));
      expect(send).toHaveBeenLastCalledWith(command);
    }
    expect(send).toHaveBeenCalledTimes(5);
  });

  it('editor shortcuts are shown but left to the page (one key press, one undo)', () => {
    const t = menu();
    const undo = item(t, '&Edit', 'Undo');
    expect(undo.accelerator).toBe('CmdOrCtrl+Z');
    expect(undo.registerAccelerator).toBe(false);
    expect(item(t, '&Edit', 'Redo').accelerator).toBe('Ctrl+Y');
    // Zoom stays a registered menu accelerator.
    expect(item(t, '&View', 'Zoom In').registerAccelerator).toBeUndefined();
  });

  it('sendTo delivers the command to the window as a menu:command event', () => {
    const send = vi.fn();
    const win = { webContents: { send } } as unknown as Parameters<typeof sendTo>[0];
    sendTo(win)('undo');
    expect(send).toHaveBeenCalledWith('menu:command', { command: 'undo' });
    expect(() => sendTo(undefined)('redo')).not.toThrow();
  });
});
