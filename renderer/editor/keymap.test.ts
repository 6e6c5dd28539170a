import { describe, expect, it } from 'vitest';
import { commandForKey, commandForKeyUp } from './keymap';

describe('commandForKey', () => {
  it('maps tool keys, ignoring them with shift or alt', () => {
    expect(commandForKey({ key: 'v' })).toEqual({ type: 'tool', tool: 'select' });
    expect(commandForKey({ key: 'T' })).toEqual({ type: 'tool', tool: 'text' });
    expect(commandForKey({ key: 'r' })).toEqual({ type: 'tool', tool: 'rect' });
    expect(commandForKey({ key: 'e' })).toEqual({ type: 'tool', tool: 'ellipse' });
    expect(commandForKey({ key: 'l' })).toEqual({ type: 'tool', tool: 'line' });
    expect(commandForKey({ key: 'i' })).toEqual({ type: 'tool', tool: 'image' });
    expect(commandForKey({ key: 'b' })).toEqual({ type: 'tool', tool: 'barcode' });
    expect(commandForKey({ key: 'r', shiftKey: true })).toBeUndefined();
    expect(commandForKey({ key: 'r', altKey: true })).toBeUndefined();
    expect(commandForKey({ key: 'q' })).toBeUndefined();
  });

  it('accepts Cmd and Ctrl as the command modifier', () => {
    for (const mod of [{ ctrlKey: true }, { metaKey: true }]) {
      expect(commandForKey({ key: 'z', ...mod })).toEqual({ type: 'undo' });
      expect(commandForKey({ key: 'Z', shiftKey: true, ...mod })).toEqual({ type: 'redo' });
      expect(commandForKey({ key: 'y', ...mod })).toEqual({ type: 'redo' });
      expect(commandForKey({ key: 'g', ...mod })).toEqual({ type: 'group' });
      expect(commandForKey({ key: 'G', shiftKey: true, ...mod })).toEqual({ type: 'ungroup' });
      expect(commandForKey({ key: 'd', ...mod })).toEqual({ type: 'duplicate' });
      expect(commandForKey({ key: 'a', ...mod })).toEqual({ type: 'select-all' });
      expect(commandForKey({ key: 'c', ...mod })).toEqual({ type: 'copy' });
      expect(commandForKey({ key: 'x', ...mod })).toEqual({ type: 'cut' });
      expect(commandForKey({ key: 'v', ...mod })).toEqual({ type: 'paste' });
      expect(commandForKey({ key: ']', ...mod })).toEqual({ type: 'reorder', to: 'front' });
      expect(commandForKey({ key: '[', ...mod })).toEqual({ type: 'reorder', to: 'back' });
      expect(commandForKey({ key: 'L', shiftKey: true, ...mod })).toEqual({ type: 'lock', locked: true });
      expect(commandForKey({ key: 'H', shiftKey: true, ...mod })).toEqual({ type: 'hide', hidden: true });
      expect(commandForKey({ key: '=', ...mod })).toEqual({ type: 'zoom', to: 'in' });
      expect(commandForKey({ key: '-', ...mod })).toEqual({ type: 'zoom', to: 'out' });
      expect(commandForKey({ key: '/', ...mod })).toEqual({ type: 'toggle-field-names' });
    }
  });

  it('maps delete, escape, arrows with shift for 10×, z-order, zoom and space', () => {
    expect(commandForKey({ key: 'Delete' })).toEqual({ type: 'delete' });
    expect(commandForKey({ key: 'Backspace' })).toEqual({ type: 'delete' });
    expect(commandForKey({ key: 'Escape' })).toEqual({ type: 'escape' });
    expect(commandForKey({ key: 'ArrowLeft' })).toEqual({ type: 'nudge', direction: 'left', large: false });
    expect(commandForKey({ key: 'ArrowDown', shiftKey: true })).toEqual({ type: 'nudge', direction: 'down', large: true });
    expect(commandForKey({ key: ']' })).toEqual({ type: 'reorder', to: 'forward' });
    expect(commandForKey({ key: '[' })).toEqual({ type: 'reorder', to: 'backward' });
    expect(commandForKey({ key: '!', shiftKey: true })).toEqual({ type: 'zoom', to: 'fit' });
    expect(commandForKey({ key: ')', shiftKey: true })).toEqual({ type: 'zoom', to: '100%' });
    expect(commandForKey({ key: ' ' })).toEqual({ type: 'pan-start' });
    expect(commandForKeyUp({ key: ' ' })).toEqual({ type: 'pan-end' });
    expect(commandForKeyUp({ key: 'a' })).toBeUndefined();
  });
});
