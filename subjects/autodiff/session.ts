import ort from 'onnxruntime-node';
import { InputError } from '../../util/errors.ts';
import type { ModelProto } from '../onnx/proto.ts';
import type { SessionCache } from '../onnx/session.ts';
import { buildGradientGraph, type GradientGraph, type GradientGraphRequest } from './compile.ts';

/**
 * Compiled gradient graphs of one model, cached like read/intervene sessions: one graph per
 * objective tensor, pooling, wrt set, read set and input shapes — never per label, unit or input
 * values, which are fed. The probe run that measures shapes happens once per compiled graph, on a
 * session released right after.
 */

export type SessionFactory = (model: ModelProto) => Promise<ort.InferenceSession>;

export interface GradientRun {
  /** The per-example objective [N]. */
  objective: ort.Tensor;
  /** Gradient of each wrt tensor, by the name it was asked with. */
  gradients: Record<string, ort.Tensor>;
  /** The graph outputs and read tensors, by name. */
  tensors: Record<string, ort.Tensor>;
}

export class GradientSessions {
  private readonly graphs = new Map<string, Promise<GradientGraph>>();
  /** How many gradient graphs were built (a test hook: reuse means this does not grow). */
  built = 0;

  constructor(
    private readonly model: ModelProto,
    private readonly sessions: SessionCache,
    private readonly createSession: SessionFactory,
  ) {}

  async run(
    feeds: Readonly<Record<string, ort.Tensor>>,
    request: GradientGraphRequest,
    weights?: ArrayLike<number>,
  ): Promise<GradientRun> {
    const key = gradientKey(feeds, request);
    let graph = this.graphs.get(key);
    if (!graph) {
      graph = buildGradientGraph(this.model, feeds, request, (model, fetches) =>
        this.probe(model, feeds, fetches),
      );
      this.built++;
      this.graphs.set(key, graph);
      const created = graph;
      created.catch(() => {
        if (this.graphs.get(key) === created) this.graphs.delete(key);
      });
    }
    const compiled = await graph;
    const allFeeds: Record<string, ort.Tensor> = { ...feeds };
    if (compiled.weights) {
      const { input, units, double } = compiled.weights;
      const values = weights ?? new Float32Array(units).fill(1);
      if (values.length !== units) {
        throw new InputError(
          `objective weights have ${values.length} values but '${request.objective.tensor}' has ${units} units`,
        );
      }
      allFeeds[input] = double
        ? new ort.Tensor('float64', Float64Array.from(values), [units])
        : new ort.Tensor('float32', Float32Array.from(values), [units]);
    }
    const reads = request.read ?? [];
    const fetches = [compiled.objectiveOutput, ...compiled.gradientOutputs.values(), ...reads];
    const result = await this.sessions.use(
      `grad|${key}`,
      () => compiled.model,
      (session) => session.run(allFeeds, [...new Set(fetches)]),
    );
    const gradients: Record<string, ort.Tensor> = {};
    for (const [name, output] of compiled.gradientOutputs) gradients[name] = result[output] as ort.Tensor;
    const tensors: Record<string, ort.Tensor> = {};
    for (const name of reads) tensors[name] = result[name] as ort.Tensor;
    return { objective: result[compiled.objectiveOutput] as ort.Tensor, gradients, tensors };
  }

  /** The graph compiled for a request (for tests and tools that inspect the emitted ops). */
  async graph(
    feeds: Readonly<Record<string, ort.Tensor>>,
    request: GradientGraphRequest,
  ): Promise<GradientGraph | undefined> {
    return this.graphs.get(gradientKey(feeds, request));
  }

  private async probe(
    model: ModelProto,
    feeds: Readonly<Record<string, ort.Tensor>>,
    fetches: string[],
  ): Promise<Record<string, ort.Tensor>> {
    const session = await this.createSession(model);
    try {
      return await session.run(feeds, fetches);
    } finally {
      await session.release();
    }
  }
}

function gradientKey(feeds: Readonly<Record<string, ort.Tensor>>, request: GradientGraphRequest): string {
  const shapes = Object.entries(feeds)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, t]) => `${name}:${t.type}[${t.dims.join(',')}]`);
  const { tensor, unitAxis, pool } = request.objective;
  return [
    `objective:${tensor}/${unitAxis}/${pool}`,
    `wrt:${[...request.wrt].sort().join(',')}`,
    `read:${[...(request.read ?? [])].sort().join(',')}`,
    `sum:${request.sumBatch === true}`,
    `path:${request.path?.input ?? ''}`,
    `in:${shapes.join(',')}`,
  ].join('|');
}
