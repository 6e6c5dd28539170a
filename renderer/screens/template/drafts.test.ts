import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DraftSaver } from './drafts';
import type { Bridge } from '../../bridge/types';
import type { TemplateDocument } from '../../../shared/model/document';

/** A bridge that records every `template:autosave` call and the (fake) time it was made. */
function recordingBridge() {
  const calls: { at: number; name: string }[] = [];
  const bridge = {
    transport: 'web',
    call: (channel: string, args: { document: TemplateDocument }) => {
      if (channel !== 'template:autosave') throw new Error(`unexpected ${channel}`);
      calls.push({ at: Date.now(), name: args.document.name });
      return Promise.resolve({ savedAt: new Date().toISOString() });
    },
    on: () => () => undefined,
  } as unknown as Bridge;
  return { bridge, calls };
}

const doc = (name: string) => ({ name }) as TemplateDocument;

describe('DraftSaver (the autosave journal behind crash recovery)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it('sends one change after the short pause', async () => {
    const { bridge, calls } = recordingBridge();
    const d = new DraftSaver(bridge, 't', doc('start'), () => undefined);
    d.change(doc('a'));
    await vi.advanceTimersByTimeAsync(299);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([{ at: 300, name: 'a' }]);
  });

  it('never leaves a change unsent for more than a second, however fast changes keep coming', async () => {
    const { bridge, calls } = recordingBridge();
    const d = new DraftSaver(bridge, 't', doc('start'), () => undefined);
    // A 5-second drag: a new document every 50 ms, so a pure debounce would send nothing until it ends.
    for (let i = 1; i <= 100; i += 1) {
      d.change(doc(`step-${i}`));
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(calls.length).toBeGreaterThanOrEqual(4);
    // Every change made at time t (step i at (i-1)*50 ms) reached main by t + 1000 ms.
    for (let i = 1; i <= 100; i += 1) {
      const madeAt = (i - 1) * 50;
      const sent = calls.find((c) => Number(c.name.slice(5)) >= i);
      if (madeAt + 1000 <= 5000) expect(sent && sent.at - madeAt, `step ${i}`).toBeLessThanOrEqual(1000);
    }
    await vi.advanceTimersByTimeAsync(300);
    expect(calls.at(-1)!.name).toBe('step-100');
  });

  it('flush sends at once and then only what is new', async () => {
    const { bridge, calls } = recordingBridge();
    const d = new DraftSaver(bridge, 't', doc('start'), () => undefined);
    d.change(doc('a'));
    await d.flush();
    expect(calls.map((c) => c.name)).toEqual(['a']);
    await d.flush();
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls.map((c) => c.name)).toEqual(['a']);
  });
});
