import type { ReactNode } from 'react';
import type { Editor } from '../../editor/editor';
import type { TemplateDocument } from '../../../shared/model/document';
import type { ColorRef } from '../../../shared/model/color';
import type { Element, ElementOfType, ElementType } from '../../../shared/model/elements/schema';
import type { LengthUnit } from '../../../shared/model/units';
import { elementModels } from '../../../shared/model/elements/registry';
import { findElement } from '../../../shared/ops';
import { useEditor } from '../use-editor';
import { ConditionInput, CommitInput, FieldPicker, LengthInput, NumberInput, Row, SwatchPicker } from './fields';
import { checkLiquid } from '../liquid-check';

export interface PanelProps<K extends ElementType> {
  el: ElementOfType<K>;
  doc: TemplateDocument;
  /** Set properties on this element: one undo step. */
  set(patch: Record<string, unknown>, label?: string): void;
  unit: LengthUnit;
}

type PropertyPanel<K extends ElementType> = (p: PanelProps<K>) => ReactNode;

function Select<T extends string>({
  value,
  options,
  onChange,
  testId,
}: {
  value: T;
  options: readonly T[];
  onChange(v: T): void;
  testId?: string;
}) {
  return (
    <select className="input" value={value} data-testid={testId} onChange={(e) => onChange(e.currentTarget.value as T)}>
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}

function TextPanel({ el, doc, set }: PanelProps<'text'>) {
  const brandFonts = doc.brand.fonts;
  const setRun = (p: number, r: number, text: string) =>
    set(
      {
        paragraphs: el.paragraphs.map((para, i) =>
          i === p ? { ...para, runs: para.runs.map((run, j) => (j === r ? { ...run, text } : run)) } : para,
        ),
      },
      'edit text',
    );
  const last = el.paragraphs.length - 1;
  const lastRun = (el.paragraphs[last]?.runs.length ?? 1) - 1;
  return (
    <>
      <h4>Text</h4>
      {el.paragraphs.map((para, p) =>
        para.runs.map((run, r) => (
          <CommitInput
            key={`${p}/${r}`}
            multiline
            value={run.text}
            testId={`run-${p}-${r}`}
            check={(v) => checkLiquid(doc, v, 'template')}
            onCommit={(v) => setRun(p, r, v)}
          />
        )),
      )}
      <div className="toolbar">
        <FieldPicker
          doc={doc}
          testId="insert-field"
          onInsert={(liquid) => {
            const run = el.paragraphs[last]?.runs[lastRun];
            if (run) setRun(last, lastRun, `${run.text}${run.text && !run.text.endsWith(' ') ? ' ' : ''}${liquid}`);
          }}
        />
        <button
          type="button"
          className="btn btn-small"
          onClick={() => set({ paragraphs: [...el.paragraphs, { runs: [{ text: '' }], spaceBefore: 0, spaceAfter: 0 }] }, 'add paragraph')}
        >
          + Paragraph
        </button>
      </div>
      <Row label="Font">
        <select
          className="input"
          data-testid="prop-font"
          value={el.style.font}
          onChange={(e) => set({ style: { ...el.style, font: e.currentTarget.value } }, 'font')}
        >
          {brandFonts.map((f) => (
            <option key={f.id} value={f.id}>
              {f.family} {f.weight}
              {f.style === 'italic' ? ' italic' : ''}
            </option>
          ))}
        </select>
      </Row>
      <Row label="Size pt">
        <NumberInput
          value={el.style.size}
          min={1}
          max={500}
          testId="prop-size"
          onCommit={(size) => set({ style: { ...el.style, size } }, 'size')}
        />
      </Row>
      <Row label="Colour">
        <SwatchPicker
          doc={doc}
          value={el.style.color}
          testId="prop-text-color"
          onChange={(color) => color && set({ style: { ...el.style, color } }, 'colour')}
        />
      </Row>
      <Row label="Align">
        <Select
          value={el.align}
          options={['left', 'center', 'right', 'justify'] as const}
          onChange={(align) => set({ align }, 'align text')}
        />
      </Row>
      <Row label="Vertical">
        <Select
          value={el.verticalAlign}
          options={['top', 'middle', 'bottom'] as const}
          onChange={(verticalAlign) => set({ verticalAlign }, 'align text')}
        />
      </Row>
      <Row label="Leading">
        <NumberInput value={el.leading} min={0.5} max={4} onCommit={(leading) => set({ leading }, 'leading')} />
      </Row>
      <Row label="Fit">
        <Select
          value={el.fit.mode}
          testId="prop-fit"
          options={['overflow', 'shrink', 'clip'] as const}
          onChange={(mode) => set({ fit: { ...el.fit, mode } }, 'copy-fit')}
        />
      </Row>
      {el.fit.mode === 'shrink' ? (
        <Row label="Min size pt">
          <NumberInput
            value={el.fit.minSize ?? el.style.size / 2}
            min={1}
            onCommit={(minSize) => set({ fit: { ...el.fit, minSize } }, 'copy-fit')}
          />
        </Row>
      ) : null}
    </>
  );
}

function ImagePanel({ el, doc, set }: PanelProps<'image'>) {
  const logos = doc.brand.logos;
  const images = doc.assets.filter((a) => a.mediaType.startsWith('image/') && !logos.some((l) => l.asset === a.id));
  const dealerLogo = doc.variants?.fields.find((f) => f.name === 'logo') ? `{{ ${doc.variants.alias}.logo }}` : undefined;
  return (
    <>
      <h4>Image</h4>
      <Row label="Source">
        <select
          className="input"
          data-testid="prop-image-source"
          value={el.source}
          onChange={(e) => set({ source: e.currentTarget.value }, 'image source')}
        >
          {dealerLogo ? <option value={dealerLogo}>Dealer logo (per record)</option> : null}
          {logos.map((l) => (
            <option key={l.id} value={l.id}>
              Logo: {l.name}
            </option>
          ))}
          {images.map((a) => (
            <option key={a.id} value={a.id}>
              Image: {a.name}
            </option>
          ))}
          {![dealerLogo, ...logos.map((l) => l.id), ...images.map((a) => a.id)].includes(el.source) ? (
            <option value={el.source}>{el.source}</option>
          ) : null}
        </select>
      </Row>
      <Row label="Rule">
        <CommitInput
          value={el.source}
          testId="prop-image-rule"
          check={(v) => checkLiquid(doc, v, 'template')}
          onCommit={(source) => source.trim() && set({ source }, 'image source')}
        />
      </Row>
      <Row label="Fit">
        <Select
          value={el.fit}
          testId="prop-image-fit"
          options={['contain', 'cover', 'fill'] as const}
          onChange={(fit) => set({ fit }, 'image fit')}
        />
      </Row>
      <Row label="Focal x">
        <NumberInput value={el.focal.x} min={0} max={1} onCommit={(x) => set({ focal: { ...el.focal, x } }, 'focal point')} />
      </Row>
      <Row label="Focal y">
        <NumberInput value={el.focal.y} min={0} max={1} onCommit={(y) => set({ focal: { ...el.focal, y } }, 'focal point')} />
      </Row>
      <Row label="Background">
        <SwatchPicker doc={doc} allowNone value={el.background} onChange={(background) => set({ background }, 'background')} />
      </Row>
    </>
  );
}

function StrokeRows({
  el,
  doc,
  set,
  optional,
}: {
  el: { stroke?: { color: ColorRef; width: number } | undefined };
  doc: TemplateDocument;
  set: PanelProps<'rect'>['set'];
  optional: boolean;
}) {
  const stroke = el.stroke;
  return (
    <>
      <Row label="Stroke">
        <SwatchPicker
          doc={doc}
          allowNone={optional}
          value={stroke?.color}
          testId="prop-stroke"
          onChange={(color) => set({ stroke: color ? { width: stroke?.width ?? 1, ...stroke, color } : undefined }, 'stroke')}
        />
      </Row>
      {stroke ? (
        <Row label="Stroke pt">
          <NumberInput
            value={stroke.width}
            min={0.1}
            max={100}
            onCommit={(width) => set({ stroke: { ...stroke, width } }, 'stroke width')}
          />
        </Row>
      ) : null}
    </>
  );
}

function RectPanel({ el, doc, set }: PanelProps<'rect'>) {
  return (
    <>
      <h4>Rectangle</h4>
      <Row label="Fill">
        <SwatchPicker doc={doc} allowNone value={el.fill} testId="prop-fill" onChange={(fill) => set({ fill }, 'fill')} />
      </Row>
      <StrokeRows el={el} doc={doc} set={set} optional />
      <Row label="Corner pt">
        <NumberInput value={el.cornerRadius} min={0} onCommit={(cornerRadius) => set({ cornerRadius }, 'corner radius')} />
      </Row>
    </>
  );
}

function EllipsePanel({ el, doc, set }: PanelProps<'ellipse'>) {
  return (
    <>
      <h4>Ellipse</h4>
      <Row label="Fill">
        <SwatchPicker doc={doc} allowNone value={el.fill} testId="prop-fill" onChange={(fill) => set({ fill }, 'fill')} />
      </Row>
      <StrokeRows el={el} doc={doc} set={set} optional />
    </>
  );
}

function LinePanel({ el, doc, set }: PanelProps<'line'>) {
  return (
    <>
      <h4>Line</h4>
      <StrokeRows el={el} doc={doc} set={set} optional={false} />
    </>
  );
}

function PathPanel({ el, doc, set }: PanelProps<'path'>) {
  return (
    <>
      <h4>Vector art</h4>
      <Row label="Fill">
        <SwatchPicker doc={doc} allowNone value={el.fill} testId="prop-fill" onChange={(fill) => set({ fill }, 'fill')} />
      </Row>
      <StrokeRows el={el} doc={doc} set={set} optional />
    </>
  );
}

function BarcodePanel({ el, doc, set }: PanelProps<'barcode'>) {
  return (
    <>
      <h4>Barcode</h4>
      <Row label="Type">
        <Select
          value={el.symbology}
          options={['qr', 'code128', 'ean13'] as const}
          onChange={(symbology) => set({ symbology }, 'barcode type')}
        />
      </Row>
      <Row label="Data">
        <CommitInput
          value={el.data}
          testId="prop-barcode-data"
          check={(v) => (v.trim() ? checkLiquid(doc, v, 'template') : 'A barcode needs data; insert a field or write a URL.')}
          onCommit={(data) => set({ data }, 'barcode data')}
        />
      </Row>
      <FieldPicker
        doc={doc}
        testId="insert-barcode-field"
        onInsert={(liquid) => set({ data: el.data.trim() ? `${el.data}${liquid}` : liquid }, 'barcode data')}
      />
      {el.symbology === 'qr' ? (
        <Row label="Error corr.">
          <Select
            value={el.errorCorrection}
            options={['L', 'M', 'Q', 'H'] as const}
            onChange={(errorCorrection) => set({ errorCorrection }, 'error correction')}
          />
        </Row>
      ) : null}
      <Row label="Colour">
        <SwatchPicker doc={doc} value={el.color} onChange={(color) => color && set({ color }, 'colour')} />
      </Row>
    </>
  );
}

function GroupPanel({ el }: PanelProps<'group'>) {
  return (
    <>
      <h4>Group</h4>
      <p className="muted">{el.children.length} elements. Double-click on the canvas to select inside; Ctrl+Shift+G ungroups.</p>
    </>
  );
}

/** One property panel per element type; a new type fails to compile until it has one. */
export const propertyPanels = {
  text: TextPanel,
  image: ImagePanel,
  rect: RectPanel,
  ellipse: EllipsePanel,
  line: LinePanel,
  path: PathPanel,
  barcode: BarcodePanel,
  group: GroupPanel,
} satisfies { [K in ElementType]: PropertyPanel<K> };

function CommonRows({ el, doc, set, unit }: PanelProps<ElementType>) {
  return (
    <>
      <Row label="Name">
        <CommitInput
          value={el.name ?? ''}
          placeholder={el.id}
          testId="prop-name"
          onCommit={(name) => set({ name: name.trim() || undefined }, 'rename')}
        />
      </Row>
      <div className="prop-grid">
        <Row label={`X ${unit}`}>
          <LengthInput pt={el.x} unit={unit} testId="prop-x" onCommit={(x) => set({ x }, 'move')} />
        </Row>
        <Row label={`Y ${unit}`}>
          <LengthInput pt={el.y} unit={unit} testId="prop-y" onCommit={(y) => set({ y }, 'move')} />
        </Row>
        <Row label={`W ${unit}`}>
          <LengthInput pt={el.width} unit={unit} testId="prop-w" onCommit={(width) => set({ width }, 'resize')} />
        </Row>
        <Row label={`H ${unit}`}>
          <LengthInput pt={el.height} unit={unit} testId="prop-h" onCommit={(height) => set({ height }, 'resize')} />
        </Row>
        <Row label="Rotate °">
          <NumberInput value={el.rotation} min={-360} max={360} onCommit={(rotation) => set({ rotation }, 'rotate')} />
        </Row>
        <Row label="Opacity">
          <NumberInput value={el.opacity} min={0} max={1} onCommit={(opacity) => set({ opacity }, 'opacity')} />
        </Row>
      </div>
      <Row label="Show if">
        <ConditionInput
          doc={doc}
          value={el.visibleIf}
          testId="prop-visible-if"
          onCommit={(visibleIf) => set({ visibleIf }, 'visibility condition')}
        />
      </Row>
    </>
  );
}

/** The selected element's properties (its type's panel under the common position/size/visibility rows). */
export function PropertiesPanel({ editor, unit }: { editor: Editor; unit: LengthUnit }) {
  const { document, session } = useEditor(editor);
  const ids = session.selection;
  const el: Element | undefined = ids.length === 1 ? findElement(document, ids[0]!)?.element : undefined;
  if (!el)
    return (
      <section className="side-panel" data-testid="properties-panel">
        <h3>Properties</h3>
        <p className="muted">
          {ids.length
            ? `${ids.length} elements selected: align, distribute or group them from the toolbar.`
            : 'Select an element to edit it.'}
        </p>
      </section>
    );
  const set = (patch: Record<string, unknown>, label?: string) => void editor.updateElement(el.id, patch, label ? { label } : {});
  const props = { el, doc: document, set, unit } as PanelProps<typeof el.type>;
  const Panel = propertyPanels[el.type] as PropertyPanel<typeof el.type>;
  return (
    <section className="side-panel" data-testid="properties-panel" aria-label={`${elementModels[el.type].label} properties`}>
      <h3>{elementModels[el.type].label}</h3>
      <CommonRows {...(props as PanelProps<ElementType>)} />
      <Panel {...props} />
    </section>
  );
}
