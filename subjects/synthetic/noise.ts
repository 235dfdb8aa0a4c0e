import { createHash } from 'node:crypto';
import type { AnnotatedScene } from './scene.ts';

const digestCache = new WeakMap<AnnotatedScene, Buffer>();

/**
 * A SHA-256 of what a unit can see in a scene (size, item map, the items' kinds, names and concepts,
 * the background), so noise is a function of the scene's content: the same scene, rendered again or
 * loaded from a cache, gets the same noise. The concept masks are not hashed: they follow from the
 * item map and the concepts, and hashing them would derive every mask of every scene. Cached per scene
 * object (scenes are not mutated).
 */
export function sceneDigest(scene: AnnotatedScene): Buffer {
  const cached = digestCache.get(scene);
  if (cached) return cached;
  const hash = createHash('sha256');
  hash.update(`${scene.image.width}x${scene.image.height}\n`);
  hash.update(scene.itemMap);
  const items = scene.annotation.items.map((item) => [item.kind, item.name, item.concepts]);
  hash.update(JSON.stringify({ items, background: scene.annotation.background }));
  const digest = hash.digest();
  digestCache.set(scene, digest);
  return digest;
}

/** Uniform numbers in [0, 1), seeded by a scene's digest and a stream name (the unit's id). */
export function sceneRandom(scene: AnnotatedScene, stream: string): () => number {
  const seed = createHash('sha256').update(sceneDigest(scene)).update(stream).digest();
  // sfc32: a small, fast generator with 128 bits of state, enough that streams never overlap in practice.
  let a = seed.readUInt32LE(0);
  let b = seed.readUInt32LE(4);
  let c = seed.readUInt32LE(8);
  let d = seed.readUInt32LE(12);
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A standard normal sample (Box–Muller). */
export function gaussian(random: () => number): number {
  const u = 1 - random(); // (0, 1]: log(0) would be -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
