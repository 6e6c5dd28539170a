import type { Alignment, NudgeDirection, ZOrder } from '../../shared/ops';

/** Canvas tools. `select` picks and transforms; the others draw a new element of that type. */
export const TOOLS = ['select', 'text', 'rect', 'ellipse', 'line', 'image', 'barcode'] as const;
export type Tool = (typeof TOOLS)[number];

/** Everything a key (or a menu item) can ask the editor to do. */
export type EditorCommand =
  | { type: 'tool'; tool: Tool }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'group' }
  | { type: 'ungroup' }
  | { type: 'duplicate' }
  | { type: 'delete' }
  | { type: 'nudge'; direction: NudgeDirection; large: boolean }
  | { type: 'select-all' }
  | { type: 'escape' }
  | { type: 'copy' }
  | { type: 'cut' }
  | { type: 'paste' }
  | { type: 'reorder'; to: ZOrder }
  | { type: 'align'; align: Alignment }
  | { type: 'distribute'; axis: 'horizontal' | 'vertical' }
  | { type: 'lock'; locked: boolean }
  | { type: 'hide'; hidden: boolean }
  | { type: 'zoom'; to: 'in' | 'out' | 'fit' | '100%' }
  | { type: 'pan-start' }
  | { type: 'pan-end' }
  | { type: 'toggle-field-names' }
  | { type: 'edit-text' };

/** The parts of a KeyboardEvent the map needs (so it runs without a DOM). */
export interface KeyInput {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

const ARROWS: Record<string, NudgeDirection> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };
const TOOL_KEYS: Record<string, Tool> = { v: 'select', t: 'text', r: 'rect', e: 'ellipse', l: 'line', i: 'image', b: 'barcode' };

/**
 * The keyboard map, as a pure function from a key-down to a command (undefined: not ours, let the key
 * through). Cmd on macOS and Ctrl elsewhere are both accepted as the command modifier.
 *
 * V/T/R/E/L/I/B tools · ⌘Z undo · ⇧⌘Z or ⌘Y redo · ⌘G group · ⇧⌘G ungroup · ⌘D duplicate ·
 * Delete/Backspace delete · arrows nudge 1 pt (⇧ 10 pt) · ⌘A select all · Esc · ⌘C/⌘X/⌘V ·
 * ] and [ forward/backward, ⌘] and ⌘[ to front/back · ⇧⌘L lock · ⇧⌘H hide · ⌘= ⌘- zoom ·
 * ⇧1 zoom to fit · ⇧0 zoom 100% · Space (held) pans · ⌘/ shows field names or values · Enter edits the
 * selected text frame in place.
 */
export function commandForKey(e: KeyInput): EditorCommand | undefined {
  const mod = Boolean(e.ctrlKey || e.metaKey);
  const shift = Boolean(e.shiftKey);
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod) {
    switch (key) {
      case 'z':
        return shift ? { type: 'redo' } : { type: 'undo' };
      case 'y':
        return { type: 'redo' };
      case 'g':
        return shift ? { type: 'ungroup' } : { type: 'group' };
      case 'd':
        return { type: 'duplicate' };
      case 'a':
        return { type: 'select-all' };
      case 'c':
        return { type: 'copy' };
      case 'x':
        return { type: 'cut' };
      case 'v':
        return { type: 'paste' };
      case ']':
        return { type: 'reorder', to: 'front' };
      case '[':
        return { type: 'reorder', to: 'back' };
      case 'l':
        return shift ? { type: 'lock', locked: true } : undefined;
      case 'h':
        return shift ? { type: 'hide', hidden: true } : undefined;
      case '=':
      case '+':
        return { type: 'zoom', to: 'in' };
      case '-':
        return { type: 'zoom', to: 'out' };
      case '/':
        return { type: 'toggle-field-names' };
      default:
        return undefined;
    }
  }
  if (e.altKey) return undefined;
  const arrow = ARROWS[key];
  if (arrow) return { type: 'nudge', direction: arrow, large: shift };
  if (key === 'Delete' || key === 'Backspace') return { type: 'delete' };
  if (key === 'Escape') return { type: 'escape' };
  if (key === 'Enter' && !shift) return { type: 'edit-text' };
  if (key === ' ') return { type: 'pan-start' };
  if (key === ']') return { type: 'reorder', to: 'forward' };
  if (key === '[') return { type: 'reorder', to: 'backward' };
  if (shift && (key === '!' || key === '1')) return { type: 'zoom', to: 'fit' };
  if (shift && (key === ')' || key === '0')) return { type: 'zoom', to: '100%' };
  const tool = shift ? undefined : TOOL_KEYS[key];
  return tool ? { type: 'tool', tool } : undefined;
}

/** Key-up: only releasing Space matters (it ends a pan). */
export function commandForKeyUp(e: KeyInput): EditorCommand | undefined {
  return e.key === ' ' ? { type: 'pan-end' } : undefined;
}
