import { beforeEach, describe, expect, it } from 'vitest';
import { opsTestDocument } from '../../shared/ops/testing';
import { parseTemplateDocument } from '../../shared/model/validate';
import type { TemplateDocument } from '../../shared/model/document';
import { TestEditor } from './test-editor';
import { TRUE_SIZE_ZOOM } from './editor';
import { parseClipboard, serializeClipboard } from './clipboard';

let editor: TestEditor;
beforeEach(() => {
  editor = new TestEditor(opsTestDocument());
});

const valid = (doc: TemplateDocument) => {
  const r = parseTemplateDocument(JSON.parse(JSON.stringify(doc)));
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
};
const frontIds = () => editor.document.print!.pages[0]!.elements.map((e) => e.id);
const handle = (kind: string) => {
  const h = editor.handles().find((x) => x.kind === kind);
  if (!h) throw new Error(`no ${kind} handle`);
  return h.point;
};

describe('selection', () => {
  it('click selects, shift-click toggles, click on empty space clears', () => {
    editor.click([60, 35]).expectSelection(['a']);
    editor.click([250, 35], { shift: true }).expectSelection(['a', 'b']);
    editor.click([60, 35], { shift: true }).expectSelection(['b']);
    editor.click([600, 150]).expectSelection([]);
  });

  it('locked and hidden elements are not picked by clicks, but can be selected from the layers panel', () => {
    editor.click([425, 325]).expectSelection([]);
    editor.click([525, 325]).expectSelection([]);
    editor.select(['locked', 'hidden']);
    editor.expectSelection(['locked', 'hidden']);
  });

  it('clicking a grouped element selects its group; double-click enters the group; Escape leaves it', () => {
    editor.click([120, 170]).expectSelection(['g']);
    editor.doubleClick({ x: 120, y: 170 });
    editor.expectSelection(['g1']);
    expect(editor.session.editingGroupId).toBe('g');
    editor.click([270, 230]).expectSelection(['g2']);
    editor.press('Escape').expectSelection(['g']);
    expect(editor.session.editingGroupId).toBeUndefined();
  });

  it('hit-tests rotated elements by their real shape, not their bounding box', () => {
    editor.updateElement('c', { rotation: 45 });
    const b = editor.pageBounds('c');
    editor.click([b.x + b.width - 2, b.y + 2]).expectSelection([]);
    editor.click(editor.centreOf('c')).expectSelection(['c']);
  });

  it('marquee selects what it touches, skipping locked and hidden elements', () => {
    editor.drag([0, 0], [160, 70]).expectSelection(['a']);
    expect(editor.session.marquee).toBeUndefined();
    editor.drag([390, 290], [560, 360]).expectSelection([]);
    editor.drag([190, 0], [320, 80]).expectSelection(['b']);
  });

  it('shift-marquee adds to the selection; marquee picks grouped elements as their group', () => {
    editor.click([60, 35]);
    editor.drag([90, 140], [130, 190], { shift: true }).expectSelection(['a', 'g']);
  });

  it('marquee tests rotated shapes exactly', () => {
    editor.updateElement('c', { rotation: 45 });
    const b = editor.pageBounds('c');
    editor.drag([b.x + b.width + 5, b.y - 5], [b.x + b.width - 5, b.y + 5]).expectSelection([]);
    editor.drag([b.x + b.width + 5, b.y - 5], [b.x + b.width / 2, b.y + b.height / 2]).expectSelection(['c']);
  });

  it('marquee selects off-page elements', () => {
    editor.drag([690, 10], [760, 80]).expectSelection(['off']);
  });

  it('select all picks visible, unlocked top-level elements', () => {
    editor.press('a', { ctrlKey: true }).expectSelection(['a', 'b', 'c', 'g', 'off']);
  });

  it('selection is session state: it never creates an undo step, and undo drops deleted ids from it', () => {
    editor.click([60, 35]).setTool('rect');
    editor.zoomAt(2);
    expect(editor.canUndo).toBe(false);
    editor.setTool('select');
    editor.click([60, 35]);
    editor.deleteSelected();
    editor.expectSelection([]);
    editor.undo();
    editor.expectElement('a', { x: 10 });
  });
});

describe('move', () => {
  it('drags the selection; one undo step; undo and redo', () => {
    editor.setSnapping(false);
    editor.drag([60, 35], [80, 45]).expectElement('a', { x: 30, y: 20 });
    expect(editor.undoLabels).toEqual(['move']);
    editor.undo();
    editor.expectElement('a', { x: 10, y: 10 });
    editor.redo();
    editor.expectElement('a', { x: 30, y: 20 });
  });

  it('moves a multi-selection together, including a rotated element and a group', () => {
    editor.setSnapping(false);
    editor.select(['a', 'c', 'g']);
    editor.drag([60, 35], [70, 35]);
    editor.expectElement('a', { x: 20 }).expectElement('c', { x: 310 }).expectElement('g', { x: 110 }).expectElement('g1', { x: 0 });
  });

  it('a tiny drag is a click, not a move', () => {
    editor.drag([60, 35], [61, 35]);
    expect(editor.canUndo).toBe(false);
  });

  it('snaps to other elements and shows smart guides while dragging', () => {
    editor.pointerDown([60, 35]).pointerMove([60 + 188, 37]);
    editor.expectElement('a', { x: 200, y: 10 });
    expect(editor.session.guides.some((g) => g.axis === 'x' && g.value === 200 && g.kind === 'element-edge')).toBe(true);
    editor.pointerUp([60 + 188, 37]);
    expect(editor.session.guides).toEqual([]);
  });

  it('snaps to page edges, bleed and safe area', () => {
    editor.drag([60, 35], [60 - 8 + 1, 35]); // left edge to 3 → page edge 0
    editor.expectElement('a', { x: 0 });
    editor.drag([60 - 10, 35], [60 - 10 - 10, 35]); // left edge to -10 → bleed -9
    editor.expectElement('a', { x: -9 });
    editor.drag([50, 35], [50 + 25, 35]); // left edge to 16 → safe area 18
    editor.expectElement('a', { x: 18 });
  });

  it('holding Cmd/Ctrl while dragging turns snapping off; shift constrains to an axis', () => {
    editor.drag([60, 35], [60 + 188, 37], { mod: true }).expectElement('a', { x: 198, y: 12 });
    editor.undo();
    editor.setSnapping(false);
    editor.drag([60, 35], [90, 40], { shift: true }).expectElement('a', { x: 40, y: 10 });
  });

  it('Escape during a drag puts everything back and records nothing', () => {
    editor.setSnapping(false);
    editor.pointerDown([60, 35]).pointerMove([90, 60]);
    editor.expectElement('a', { x: 40 });
    editor.press('Escape');
    editor.expectElement('a', { x: 10, y: 10 });
    expect(editor.canUndo).toBe(false);
    editor.pointerUp([90, 60]);
    editor.expectElement('a', { x: 10 });
  });

  it('locked elements cannot be dragged; a locked element selected in the layers panel refuses nudges', () => {
    editor.drag([425, 325], [450, 350]).expectElement('locked', { x: 400, y: 300 });
    editor.select(['locked']);
    expect(editor.handles()).toEqual([]);
    editor.press('ArrowLeft').expectError('locked').expectElement('locked', { x: 400 });
    expect(editor.canUndo).toBe(false);
  });

  it('moves off-page elements', () => {
    editor.setSnapping(false);
    editor.drag([720, 40], [760, 60]).expectElement('off', { x: 740, y: 40 });
  });

  it('moves a child inside an entered, rotated group in page space', () => {
    editor.setSnapping(false);
    editor.select(['g']);
    editor.rotateSelected(90);
    editor.doubleClick(editor.centreOf('g1'));
    editor.expectSelection(['g1']);
    const before = editor.pageBounds('g1');
    const c = editor.centreOf('g1');
    editor.drag(c, [c.x + 10, c.y]);
    const after = editor.pageBounds('g1');
    expect(after.x - before.x).toBeCloseTo(10);
    expect(after.y - before.y).toBeCloseTo(0);
  });
});

describe('nudge', () => {
  it('arrows nudge 1 pt, shift 10 pt, each one undo step', () => {
    editor.click([60, 35]);
    editor.press('ArrowRight').press('ArrowDown', { shiftKey: true }).press('ArrowLeft').press('ArrowUp');
    editor.expectElement('a', { x: 10, y: 19 });
    expect(editor.undoLabels).toEqual(['nudge', 'nudge', 'nudge', 'nudge']);
    editor.undoAll();
    expect(editor.document).toBe(editor.initial);
  });

  it('nudges rotated, grouped and hidden elements; nothing selected is an error, not a crash', () => {
    editor.select(['c', 'g1', 'hidden']);
    editor.press('ArrowLeft', { shiftKey: true });
    editor.expectElement('c', { x: 290 }).expectElement('g1', { x: -10 }).expectElement('hidden', { x: 490 });
    editor.clearSelection();
    editor.press('ArrowLeft').expectError('nothing-to-do');
  });
});

describe('resize', () => {
  it('drags the east handle; the west edge stays', () => {
    editor.click([60, 35]);
    editor.setSnapping(false);
    editor.drag(handle('e'), [130, 35]).expectElement('a', { x: 10, y: 10, width: 120, height: 50 });
    expect(editor.undoLabels).toEqual(['resize']);
  });

  it('the north-west handle moves the top-left corner; shift keeps the aspect ratio', () => {
    editor.click([60, 35]);
    editor.setSnapping(false);
    editor.drag(handle('nw'), [0, 0]).expectElement('a', { x: 0, y: 0, width: 110, height: 60 });
    editor.undo();
    editor.drag(handle('se'), [210, 40], { shift: true }).expectElement('a', { width: 200, height: 100 });
  });

  it('resizes a rotated element along its own axes, keeping the opposite edge on the page', () => {
    editor.click(editor.centreOf('c'));
    editor.setSnapping(false);
    const before = editor.pageBounds('c');
    const e = handle('e'); // the local east edge points down on the page at 90°
    expect(e.y).toBeCloseTo(275);
    editor.drag(e, [e.x, e.y + 20]);
    editor.expectElement('c', { width: 120, height: 50, rotation: 90 });
    const after = editor.pageBounds('c');
    expect(after.y).toBeCloseTo(before.y);
    expect(after.height).toBeCloseTo(120);
  });

  it('snaps a resized edge to another element', () => {
    editor.click([60, 35]);
    editor.drag(handle('e'), [198, 35]).expectElement('a', { width: 190 });
  });

  it('resizing a multi-selection scales it as a whole', () => {
    editor.setSnapping(false);
    editor.select(['a', 'b']);
    editor.drag(handle('e'), [590, 35]);
    editor.expectElement('a', { x: 10, width: 200 }).expectElement('b', { x: 390, width: 200 });
  });

  it('resizing a group scales its children', () => {
    editor.setSnapping(false);
    editor.click([120, 170]);
    editor.drag(handle('e'), [500, 200]);
    editor.expectElement('g', { width: 400 }).expectElement('g2', { x: 300, width: 100 });
  });
});

describe('rotate', () => {
  it('the rotate handle turns about the selection centre; shift snaps to 15°', () => {
    editor.click([60, 35]);
    const r = handle('rotate');
    expect(r.x).toBeCloseTo(60);
    editor.drag(r, [110, 35]).expectElement('a', { rotation: 90, x: 10, y: 10 });
    expect(editor.undoLabels).toEqual(['rotate']);
    editor.undo();
    editor.drag(handle('rotate'), [110, 30], { shift: true }).expectElement('a', { rotation: 90 });
  });

  it('rotates a multi-selection about its common centre', () => {
    editor.select(['a', 'b']);
    editor.rotateSelected(180);
    editor.expectElement('a', { x: 200, rotation: 180 }).expectElement('b', { x: 10, rotation: 180 });
  });

  it('a locked element refuses rotation', () => {
    editor.select(['locked']);
    editor.rotateSelected(10);
    editor.expectError('locked').expectElement('locked', { rotation: 0 });
  });
});

describe('group and ungroup', () => {
  it('Cmd+G groups the selection and selects the group; Cmd+Shift+G ungroups; undo restores both', () => {
    editor.select(['a', 'b']);
    editor.press('g', { metaKey: true });
    const gid = editor.selection[0]!;
    editor.expectElement(gid, { type: 'group', x: 10, y: 10, width: 290, height: 50 });
    editor.expectElement('b', { x: 190, y: 0 });
    editor.press('g', { ctrlKey: true, shiftKey: true }).expectSelection(['a', 'b']);
    editor.expectElement('b', { x: 200, y: 10 }).expectNoElement(gid);
    editor.undo();
    editor.expectElement(gid, { type: 'group' });
    editor.undo();
    expect(editor.document).toBe(editor.initial);
  });

  it('groups rotated elements by their rotated bounds and ungroups a rotated group exactly', () => {
    editor.select(['c']);
    editor.groupSelected();
    const gid = editor.selection[0]!;
    editor.expectElement(gid, { x: 325, y: 175, width: 50, height: 100 });
    editor.rotateSelected(30);
    const before = editor.pageBounds('c');
    editor.ungroupSelected();
    const after = editor.pageBounds('c');
    expect(after.x).toBeCloseTo(before.x, 5);
    expect(after.y).toBeCloseTo(before.y, 5);
    editor.expectElement('c', { rotation: 120 });
  });

  it('refuses locked elements and elements in different groups', () => {
    editor.select(['a', 'locked']);
    editor.groupSelected();
    editor.expectError('locked');
    editor.select(['a', 'g1']);
    editor.groupSelected();
    editor.expectError('different-parents');
    expect(editor.canUndo).toBe(false);
  });
});

describe('duplicate, delete, z-order, align, distribute, lock, hide', () => {
  it('Cmd+D duplicates with fresh ids and selects the copies', () => {
    editor.select(['a', 'g']);
    editor.press('d', { ctrlKey: true });
    expect(editor.selection).toHaveLength(2);
    const [copyA, copyG] = editor.selection;
    editor.expectElement(copyA!, { x: 20, y: 20 });
    const group = editor.getElement(copyG!);
    expect(group.type === 'group' && group.children.every((c) => !['g1', 'g2'].includes(c.id))).toBe(true);
    valid(editor.document);
  });

  it('Delete and Backspace delete; locked elements refuse; undo restores', () => {
    editor.click([60, 35]).press('Delete').expectNoElement('a');
    editor.click([250, 35]).press('Backspace').expectNoElement('b');
    editor.select(['locked']);
    editor.press('Delete').expectError('locked').expectElement('locked', { x: 400 });
    editor.undoAll();
    expect(editor.document).toBe(editor.initial);
  });

  it('z-order keys: ] [ and Cmd+] Cmd+[', () => {
    editor.click([60, 35]);
    editor.press(']');
    expect(frontIds().slice(0, 2)).toEqual(['b', 'a']);
    editor.press(']', { ctrlKey: true });
    expect(frontIds().at(-1)).toBe('a');
    editor.press('[');
    expect(frontIds().at(-2)).toBe('a');
    editor.press('[', { metaKey: true });
    expect(frontIds()[0]).toBe('a');
  });

  it('align uses rotated boxes; a single element aligns to the page', () => {
    editor.select(['a', 'c']);
    editor.alignSelected('left');
    expect(editor.pageBounds('c').x).toBeCloseTo(10);
    editor.select(['off']);
    editor.alignSelected('right');
    editor.expectElement('off', { x: 608 });
    for (const align of ['centre', 'top', 'middle', 'bottom'] as const) expect(editor.alignSelected(align).ok).toBe(true);
    editor.expectElement('off', { x: 304, y: 392 });
  });

  it('distribute spaces three elements evenly and needs three', () => {
    editor.select(['a', 'b', 'off']);
    editor.distributeSelected('horizontal');
    editor.expectElement('b', { x: 355 }); // gaps (730 - 240) / 2 = 245
    editor.select(['a', 'b']);
    editor.distributeSelected('vertical');
    editor.expectError('too-few');
  });

  it('lock and hide are undoable properties; a locked element cannot be picked any more', () => {
    editor.click([60, 35]);
    editor.press('l', { ctrlKey: true, shiftKey: true }).expectElement('a', { locked: true });
    editor.click([600, 400]).click([60, 35]).expectSelection([]);
    editor.select(['a']);
    editor.setLocked(false);
    editor.press('h', { metaKey: true, shiftKey: true }).expectElement('a', { hidden: true });
    expect(editor.isHidden('a')).toBe(true);
    editor.undoAll();
    expect(editor.document).toBe(editor.initial);
  });
});

describe('shape tools', () => {
  it('R then drag draws a rectangle, selects it and returns to the select tool', () => {
    editor.press('r');
    expect(editor.session.tool).toBe('rect');
    editor.pointerDown([100, 300]).pointerMove([150, 340]);
    expect(editor.session.creating?.box).toEqual({ x: 100, y: 300, width: 50, height: 40 });
    editor.pointerUp([150, 340]);
    const id = editor.selection[0]!;
    editor.expectElement(id, { type: 'rect', x: 100, y: 300, width: 50, height: 40, fill: { swatch: 'navy', tint: 100 } });
    expect(editor.session.tool).toBe('select');
    expect(editor.session.creating).toBeUndefined();
    editor.undo();
    editor.expectNoElement(id);
  });

  it('a click with a tool creates a default-size element; T makes a text frame with the brand font', () => {
    editor.press('t').click([50, 300]);
    editor.expectElement(editor.selection[0]!, { type: 'text', x: 50, y: 300, width: 200, height: 48 });
    valid(editor.document);
  });

  it('the line tool keeps the drag direction; ellipse and barcode tools work', () => {
    editor.press('l').drag([200, 300], [150, 320]);
    editor.expectElement(editor.selection[0]!, { type: 'line', x: 200, y: 300, width: -50, height: 20 });
    editor.press('e').drag([10, 300], [40, 330]);
    editor.expectElement(editor.selection[0]!, { type: 'ellipse' });
    editor.press('b').click([10, 350]);
    editor.expectElement(editor.selection[0]!, { type: 'barcode', symbology: 'qr' });
    valid(editor.document);
  });

  it('the image tool needs an image source first', () => {
    editor.press('i').click([10, 10]).expectError('invalid');
    editor.setTool('image');
    editor.setImageSource('{{ id }}');
    editor.click([10, 300]);
    editor.expectElement(editor.selection[0]!, { type: 'image', source: '{{ id }}' });
  });

  it('Escape leaves a drawing tool; V returns to select', () => {
    editor.press('r').press('Escape');
    expect(editor.session.tool).toBe('select');
    editor.press('t').press('v');
    expect(editor.session.tool).toBe('select');
  });
});

describe('viewport', () => {
  it('zoom to fit shows the page with bleed inside the viewport; 100% is true size', () => {
    editor.zoomToFit();
    const tl = editor.pageToScreen({ x: -9, y: -9 });
    const br = editor.pageToScreen({ x: 657, y: 441 });
    expect(tl.x).toBeGreaterThanOrEqual(31.9);
    expect(br.x).toBeLessThanOrEqual(1200 - 31.9);
    expect(Math.min(tl.y, 800 - br.y)).toBeCloseTo(32);
    editor.press(')', { shiftKey: true });
    expect(editor.session.zoom).toBe(TRUE_SIZE_ZOOM);
    expect(editor.pageToScreen({ x: 324, y: 216 })).toEqual({ x: 600, y: 400 });
  });

  it('Ctrl+wheel zooms about the pointer; a plain wheel pans', () => {
    const s = { x: 300, y: 200 };
    const before = editor.screenToPage(s);
    editor.wheel({ deltaX: 0, deltaY: -100, mod: true, screenPoint: s });
    expect(editor.session.zoom).toBeGreaterThan(TRUE_SIZE_ZOOM);
    const after = editor.screenToPage(s);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
    const pan = editor.session.pan;
    editor.wheel({ deltaX: 10, deltaY: 20, mod: false, screenPoint: s });
    expect(editor.session.pan).toEqual({ x: pan.x - 10, y: pan.y - 20 });
    editor.press('=', { ctrlKey: true });
    editor.press('-', { ctrlKey: true });
  });

  it('Space-drag pans instead of selecting or moving', () => {
    const pan = editor.session.pan;
    editor.press(' ');
    editor.drag([60, 35], [80, 35]);
    editor.release(' ');
    editor.expectElement('a', { x: 10 }).expectSelection([]);
    expect(editor.session.pan.x).toBeGreaterThan(pan.x);
    expect(editor.session.spaceHeld).toBe(false);
  });

  it('field names toggle and the record index are session state', () => {
    editor.press('/', { ctrlKey: true });
    expect(editor.session.showFieldNames).toBe(true);
    editor.setRecordIndex(3);
    expect(editor.session.recordIndex).toBe(3);
    expect(editor.canUndo).toBe(false);
  });
});

describe('pages', () => {
  it('adds preset pages after the current one and shows them; duplicate, reorder, remove; undo all', () => {
    editor.addPage({ preset: 'a4' });
    const a4 = editor.session.pageId!;
    expect(editor.page).toMatchObject({ id: a4, bleed: { top: expect.closeTo(8.504, 2) } });
    expect(editor.document.print!.pages.map((p) => p.id)).toEqual(['front', a4, 'back']);
    editor.addPage({ preset: 'custom', width: 300, height: 200, bleed: 6 });
    expect(editor.page).toMatchObject({ width: 300, height: 200, bleed: { left: 6 } });
    editor.setPage('front');
    editor.duplicatePage();
    expect(editor.page!.elements).toHaveLength(7);
    editor.movePage('back', 0);
    expect(editor.document.print!.pages[0]!.id).toBe('back');
    editor.setPageSize('back', { preset: 'postcard-4x6' });
    valid(editor.document);
    editor.undoAll();
    expect(editor.document).toBe(editor.initial);
  });

  it('the last page cannot be removed; removing the current page shows another', () => {
    editor.removePage('back');
    editor.setPage('front');
    editor.removePage('front');
    editor.expectError('last-page');
    editor.addPage({ preset: 'letter' });
    editor.removePage(editor.session.pageId!);
    expect(editor.session.pageId).toBe('front');
  });

  it('switching pages clears the selection; selecting on another page switches to it', () => {
    editor.click([60, 35]);
    editor.setPage('back');
    editor.expectSelection([]);
    editor.select(['a']);
    expect(editor.session.pageId).toBe('front');
  });
});

describe('email blocks', () => {
  it('adds blocks of every type, reorders by drag, removes; undoable', () => {
    for (const type of ['text', 'image', 'button', 'divider', 'spacer', 'social', 'raw'] as const) editor.addEmailBlock('s2c1', type);
    expect(editor.document.email!.sections[1]!.columns[0]!.blocks.map((b) => b.type)).toEqual([
      'button',
      'text',
      'image',
      'button',
      'divider',
      'spacer',
      'social',
      'raw',
    ]);
    editor.moveEmailBlock('t1', 's2c1', 0);
    expect(editor.document.email!.sections[1]!.columns[0]!.blocks[0]!.id).toBe('t1');
    editor.addEmailSection(2, 0);
    editor.moveEmailSection('s2', 0);
    editor.removeEmailBlock('sp1');
    valid(editor.document);
    editor.undoAll();
    expect(editor.document).toBe(editor.initial);
  });

  it('the last section refuses removal', () => {
    editor.removeEmailSection('s1');
    editor.removeEmailSection('s2');
    editor.expectError('last-section');
  });
});

describe('clipboard', () => {
  it('copy/paste in one template offsets the copy and gives fresh ids', () => {
    editor.click([60, 35]).press('c', { ctrlKey: true }).press('v', { ctrlKey: true });
    const [copy] = editor.selection;
    expect(copy).not.toBe('a');
    editor.expectElement(copy!, { x: 20, y: 20 });
    expect(editor.undoLabels).toEqual(['paste']);
  });

  it('cut removes and paste brings back at the same place', () => {
    editor.click([60, 35]).press('x', { metaKey: true }).expectNoElement('a');
    editor.press('v', { metaKey: true });
    editor.expectElement(editor.selection[0]!, { x: 10, y: 10 });
  });

  it('pastes between two templates, reporting swatches and fonts the target lacks', () => {
    const target = opsTestDocument();
    const other = new TestEditor({
      ...target,
      id: 'other' as TemplateDocument['id'],
      brand: { ...target.brand, swatches: target.brand.swatches.filter((s) => s.id === 'navy'), fonts: [] },
      print: { ...target.print!, pages: [{ ...target.print!.pages[1]!, id: 'only' as never, elements: [] }] },
    });
    editor.select(['b', 'c']);
    const payload = editor.copy()!;
    expect(payload.swatches.map((s) => s.id).sort()).toEqual(['navy', 'red']);
    const text = serializeClipboard(payload);
    const report = other.paste(parseClipboard(text))!;
    expect(report.missingSwatches).toEqual(['red']);
    expect(report.created).toHaveLength(2);
    other.expectElement(report.created[0]!, { x: 200, y: 10, fill: { swatch: 'navy', tint: 100 } });
    other.undo();
    const imported = other.paste(payload, { importSwatches: true })!;
    expect(imported).toMatchObject({ missingSwatches: [], importedSwatches: ['red'] });
    valid(other.document);
    expect(parseClipboard('hello')).toBeUndefined();
  });

  it('reports missing fonts of pasted text', () => {
    editor.press('t').click([50, 300]);
    const payload = editor.copy()!;
    const doc = opsTestDocument();
    const other = new TestEditor({ ...doc, id: 'other' as TemplateDocument['id'], brand: { ...doc.brand, fonts: [] } });
    expect(other.paste(payload)!.missingFonts).toEqual(['body']);
  });

  it('copying a child of a rotated group pastes it at the same place on the page', () => {
    editor.select(['g']);
    editor.rotateSelected(90);
    editor.select(['g2']);
    const before = editor.pageBounds('g2');
    const payload = editor.copy()!;
    const other = new TestEditor({ ...opsTestDocument(), id: 'other' as TemplateDocument['id'] });
    const report = other.paste(payload)!;
    const after = other.pageBounds(report.created[0]!);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });
});

describe('history', () => {
  it('mark + squash turns many updates into one undo step (property slider)', () => {
    editor.mark('opacity');
    for (const opacity of [0.9, 0.8, 0.7, 0.6]) editor.updateElement('a', { opacity }, { history: 'squash' });
    editor.closeMark();
    expect(editor.undoLabels).toEqual(['opacity']);
    editor.undo();
    editor.expectElement('a', { opacity: 1 });
  });

  it('failed and no-op operations record nothing', () => {
    editor.updateElement('a', { opacity: 7 });
    editor.expectError('invalid');
    editor.select(['off']);
    editor.reorderSelected('front');
    expect(editor.canUndo).toBe(false);
  });

  it('undo-all returns exactly the original document and redo-all exactly the final one', () => {
    editor.setSnapping(false);
    editor.click([60, 35]).drag([60, 35], [100, 100]);
    editor.press('ArrowRight', { shiftKey: true });
    editor.select(['b', 'c']);
    editor.groupSelected();
    editor.rotateSelected(15);
    editor.press('d', { ctrlKey: true });
    editor.select(['g']);
    editor.ungroupSelected();
    editor.addPage({ preset: 'postcard-6x9' });
    editor.addEmailBlock('s1c1', 'button');
    const final = editor.document;
    valid(final);
    editor.undoAll();
    expect(editor.document).toBe(editor.initial);
    expect(editor.canUndo).toBe(false);
    editor.redoAll();
    expect(editor.document).toBe(final);
    expect(editor.canRedo).toBe(false);
  });

  it('a new edit after undo drops the redo stack', () => {
    editor.click([60, 35]).press('ArrowRight');
    editor.undo();
    editor.press('ArrowLeft');
    expect(editor.canRedo).toBe(false);
  });

  it('notifies subscribers on document and session changes', () => {
    let calls = 0;
    const off = editor.subscribe(() => calls++);
    editor.click([60, 35]);
    editor.press('ArrowRight');
    const seen = calls;
    expect(seen).toBeGreaterThan(1);
    off();
    editor.press('ArrowRight');
    expect(calls).toBe(seen);
  });
});
