import { z } from 'zod';

/**
 * Optimisers over named float32 parameters, updated in place after each step. The update rules are
 * PyTorch's (torch.optim.SGD with momentum and dampening 0, torch.optim.Adam with bias correction),
 * so a recipe's hyper-parameters mean what they mean there. State is kept in float64 so it does not
 * drift with the order of float32 roundings; the weights themselves stay float32.
 */

export const SgdConfig = z.strictObject({
  name: z.literal('sgd'),
  learningRate: z.number().positive(),
  momentum: z.number().min(0).max(1).default(0),
});

export const AdamConfig = z.strictObject({
  name: z.literal('adam'),
  learningRate: z.number().positive(),
  beta1: z.number().min(0).max(1).default(0.9),
  beta2: z.number().min(0).max(1).default(0.999),
  epsilon: z.number().positive().default(1e-8),
});

export const OptimiserConfig = z.discriminatedUnion('name', [SgdConfig, AdamConfig]);
export type OptimiserConfig = z.output<typeof OptimiserConfig>;
export type OptimiserName = OptimiserConfig['name'];

export interface Optimiser {
  /**
   * Apply one update: each parameter moves against its gradient (both by name, same length), with
   * the configured learning rate times `scale` (a schedule's multiplier, default 1).
   */
  step(
    params: ReadonlyMap<string, Float32Array>,
    grads: ReadonlyMap<string, Float32Array>,
    scale?: number,
  ): void;
  /** The state (moments, step count) for checkpoints. */
  state(): OptimiserState;
  restore(state: OptimiserState): void;
}

export interface OptimiserState {
  step: number;
  slots: Record<string, Record<string, number[]>>;
}

function slot(slots: Map<string, Float64Array>, name: string, length: number): Float64Array {
  let values = slots.get(name);
  if (!values) {
    values = new Float64Array(length);
    slots.set(name, values);
  }
  return values;
}

function saveSlots(named: Record<string, Map<string, Float64Array>>): OptimiserState['slots'] {
  const out: OptimiserState['slots'] = {};
  for (const [slotName, slots] of Object.entries(named)) {
    out[slotName] = Object.fromEntries([...slots].map(([param, values]) => [param, Array.from(values)]));
  }
  return out;
}

function loadSlots(target: Map<string, Float64Array>, saved: Record<string, number[]> | undefined): void {
  target.clear();
  for (const [param, values] of Object.entries(saved ?? {})) target.set(param, Float64Array.from(values));
}

function each(
  params: ReadonlyMap<string, Float32Array>,
  grads: ReadonlyMap<string, Float32Array>,
  fn: (name: string, w: Float32Array, g: Float32Array) => void,
): void {
  for (const [name, w] of params) {
    const g = grads.get(name);
    if (!g) throw new Error(`no gradient was computed for parameter '${name}'`);
    if (g.length !== w.length)
      throw new Error(`the gradient of '${name}' has ${g.length} values, the parameter ${w.length}`);
    fn(name, w, g);
  }
}

/** v ← μ·v + g; w ← w − lr·v (plain SGD when μ = 0). */
function sgd(config: z.output<typeof SgdConfig>): Optimiser {
  const velocity = new Map<string, Float64Array>();
  let steps = 0;
  return {
    step(params, grads, scale = 1) {
      steps++;
      const learningRate = config.learningRate * scale;
      each(params, grads, (name, w, g) => {
        const v = slot(velocity, name, w.length);
        for (let i = 0; i < w.length; i++) {
          const vi = config.momentum * (v[i] as number) + (g[i] as number);
          v[i] = vi;
          w[i] = (w[i] as number) - learningRate * vi;
        }
      });
    },
    state: () => ({ step: steps, slots: saveSlots({ velocity }) }),
    restore(state) {
      steps = state.step;
      loadSlots(velocity, state.slots.velocity);
    },
  };
}

/** m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; w ← w − lr·m̂/(√v̂ + ε) with bias-corrected m̂, v̂. */
function adam(config: z.output<typeof AdamConfig>): Optimiser {
  const first = new Map<string, Float64Array>();
  const second = new Map<string, Float64Array>();
  let steps = 0;
  return {
    step(params, grads, scale = 1) {
      steps++;
      const learningRate = config.learningRate * scale;
      const c1 = 1 - config.beta1 ** steps;
      const c2 = 1 - config.beta2 ** steps;
      each(params, grads, (name, w, g) => {
        const m = slot(first, name, w.length);
        const v = slot(second, name, w.length);
        for (let i = 0; i < w.length; i++) {
          const gi = g[i] as number;
          const mi = config.beta1 * (m[i] as number) + (1 - config.beta1) * gi;
          const vi = config.beta2 * (v[i] as number) + (1 - config.beta2) * gi * gi;
          m[i] = mi;
          v[i] = vi;
          w[i] = (w[i] as number) - (learningRate * (mi / c1)) / (Math.sqrt(vi / c2) + config.epsilon);
        }
      });
    },
    state: () => ({ step: steps, slots: saveSlots({ first, second }) }),
    restore(state) {
      steps = state.step;
      loadSlots(first, state.slots.first);
      loadSlots(second, state.slots.second);
    },
  };
}

type Factory<N extends OptimiserName> = (config: Extract<OptimiserConfig, { name: N }>) => Optimiser;

export const OPTIMISERS: { [N in OptimiserName]: Factory<N> } = { sgd, adam };

export function createOptimiser(config: OptimiserConfig): Optimiser {
  // The discriminated union narrows per name; TypeScript cannot follow the correlated lookup.
  return (OPTIMISERS[config.name] as Factory<OptimiserName>)(config as never);
}
