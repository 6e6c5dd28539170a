import type { EventOf } from '../../shared/ipc/contract';
import type { EditorCommand } from './keymap';

/** A command sent by the application menu (`menu:command`, main/menu.ts). */
export type MenuCommand = EventOf<'menu:command'>['command'];

/**
 * The editor command for an application-menu command, or undefined when the menu command is not the
 * editor's (open, save, export… belong to the screens). Zoom goes to the canvas only while it is shown
 * (`canvasShown`); otherwise the previews zoom.
 */
export function editorCommandForMenu(command: MenuCommand, canvasShown: boolean): EditorCommand | undefined {
  switch (command) {
    case 'undo':
    case 'redo':
    case 'duplicate':
    case 'group':
    case 'ungroup':
      return { type: command };
    case 'zoomIn':
      return canvasShown ? { type: 'zoom', to: 'in' } : undefined;
    case 'zoomOut':
      return canvasShown ? { type: 'zoom', to: 'out' } : undefined;
    case 'zoomReset':
      return canvasShown ? { type: 'zoom', to: '100%' } : undefined;
    default:
      return undefined;
  }
}
