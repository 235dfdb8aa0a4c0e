import type ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { SessionCache } from '../../subjects/onnx/session.ts';

/** A stand-in session that records its release. */
function fakeSessions() {
  const released: string[] = [];
  let count = 0;
  const create = async () => {
    const id = `s${count++}`;
    return { id, release: async () => void released.push(id) } as unknown as ort.InferenceSession;
  };
  return { create, released };
}

const idOf = async (session: ort.InferenceSession) => (session as unknown as { id: string }).id;
const model = () => new Uint8Array();

describe('session cache', () => {
  it('compiles once per key and releases the least recently used beyond its limit', async () => {
    const { create, released } = fakeSessions();
    const cache = new SessionCache(create, 2);
    expect(await cache.use('a', model, idOf)).toBe('s0');
    expect(await cache.use('b', model, idOf)).toBe('s1');
    expect(await cache.use('a', model, idOf)).toBe('s0'); // a is now the most recent
    expect(await cache.use('c', model, idOf)).toBe('s2'); // evicts b
    expect(released).toEqual(['s1']);
    expect(await cache.use('a', model, idOf)).toBe('s0');
    expect(cache.created).toBe(3);
    await cache.dispose();
    expect(released.sort()).toEqual(['s0', 's1', 's2']);
  });

  it('releases a session evicted during a run only when the run ends', async () => {
    const { create, released } = fakeSessions();
    const cache = new SessionCache(create, 1);
    let finish: () => void = () => {};
    const running = cache.use(
      'a',
      model,
      (session) => new Promise<string>((resolve) => (finish = () => void idOf(session).then(resolve))),
    );
    await new Promise((r) => setTimeout(r, 0));
    await cache.use('b', model, idOf); // evicts a while it runs
    expect(released).toEqual([]);
    finish();
    expect(await running).toBe('s0');
    expect(released).toEqual(['s0']);
    await cache.dispose();
  });

  it('does not keep a session that failed to compile', async () => {
    let attempts = 0;
    const cache = new SessionCache(async () => {
      attempts++;
      throw new Error('bad graph');
    });
    await expect(cache.use('a', model, idOf)).rejects.toThrow('bad graph');
    await expect(cache.use('a', model, idOf)).rejects.toThrow('bad graph');
    expect(attempts).toBe(2);
    expect(cache.size).toBe(0);
  });
});
