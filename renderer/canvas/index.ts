export { mountCanvas, type CanvasServices } from './canvas-view';
export { canvasAdapters, type CanvasAdapter, type DrawEnv } from './adapters';
export { cssColor } from './colors';
export { mountRulers } from './rulers';
export { rulerTicks, RULER_SIZE, type RulerTick } from './ruler-ticks';
