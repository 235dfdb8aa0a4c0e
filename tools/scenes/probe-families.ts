import type { ItemSpec, SceneSpec } from '../../stimuli/spec.ts';
import { getConcept } from '../../stimuli/vocabulary.ts';
import { gridLayout, relationPair, SCENE_BACKGROUNDS } from './scene-search.ts';

/**
 * Targeted probe families: stimuli that vary one factor and hold the rest still, so the unit's
 * response per factor level reads off directly.
 *
 *   count       1..9 copies of X on white
 *   relation    X above / below / left of / right of Y, X alone, Y alone
 *   background  X on white and on every scene background
 *   size        X at heights from 0.1 to 0.8 of the image
 *   position    X at each of 9 places (3 × 3)
 */

export const FAMILY_KINDS = ['count', 'relation', 'background', 'size', 'position'] as const;
export type FamilyKind = (typeof FAMILY_KINDS)[number];

export interface FamilyStimulus {
  /** The factor's level, e.g. "3", "above", "sand", "0.4", "top left". */
  level: string;
  spec: SceneSpec;
}

/** An item for a concept name: objects as sprites, shapes drawn, anything else as a red square. */
export function conceptItem(name: string): ItemSpec {
  const concept = getConcept(name);
  const base = { x: 0.5, y: 0.5, size: 0.35, rotation: 0, flip: false };
  if (concept?.kind === 'object') return { kind: 'object', name: concept.name, ...base };
  if (concept?.kind === 'shape') return { kind: 'shape', name: concept.name, colour: 'red', ...base };
  if (concept?.kind === 'colour') return { kind: 'shape', name: 'square', colour: concept.name, ...base };
  if (concept?.kind === 'texture') return { kind: 'shape', name: 'square', texture: concept.name, ...base };
  return { kind: 'word', name: name.replace(/^word:/, ''), ...base, size: 0.15 };
}

function scene(items: ItemSpec[], background = 'white', size = { width: 224, height: 224 }): SceneSpec {
  return { ...size, background, items, effects: [], seed: 0 };
}

export function probeFamily(
  kind: FamilyKind,
  x: string,
  options: { y?: string; background?: string; width?: number; height?: number } = {},
): FamilyStimulus[] {
  const size = { width: options.width ?? 224, height: options.height ?? 224 };
  const bg = options.background ?? 'white';
  const item = conceptItem(x);
  switch (kind) {
    case 'count':
      return Array.from({ length: 9 }, (_, k) => {
        const n = k + 1;
        const cols = n <= 3 ? n : 3;
        const items = gridLayout(Array.from({ length: n }, () => ({ ...item, size: 0.28 })), cols, Math.ceil(n / cols));
        return { level: String(n), spec: scene(items, bg, size) };
      });
    case 'relation': {
      if (options.y === undefined) throw new Error("the relation family needs a second concept 'y'");
      const other = conceptItem(options.y);
      const out: FamilyStimulus[] = (["above", "below", "left_of", "right_of"] as const).map((relation) => ({
        level: relation,
        spec: scene(relationPair({ ...item, size: 0.3 }, { ...other, size: 0.3 }, relation), bg, size),
      }));
      out.push({ level: `${x} alone`, spec: scene([{ ...item, size: 0.3 }], bg, size) });
      out.push({ level: `${options.y} alone`, spec: scene([{ ...other, size: 0.3 }], bg, size) });
      return out;
    }
    case 'background':
      return ['white', ...SCENE_BACKGROUNDS].map((b) => ({ level: b, spec: scene([item], b, size) }));
    case 'size':
      return [0.1, 0.2, 0.3, 0.4, 0.55, 0.8].map((s) => ({ level: String(s), spec: scene([{ ...item, size: s }], bg, size) }));
    case 'position':
      return [0.2, 0.5, 0.8].flatMap((py, r) =>
        [0.2, 0.5, 0.8].map((px, c) => ({
          level: `${['top', 'middle', 'bottom'][r]} ${['left', 'centre', 'right'][c]}`,
          spec: scene([{ ...item, x: px, y: py, size: 0.3 }], bg, size),
        })),
      );
  }
} // prettier-ignore
