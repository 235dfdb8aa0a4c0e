/**
 * Make the built-in benchmark suites (benchmarks/suites/<name>.json) and check their ground truth:
 *
 *   npx tsx scripts/make-suites.ts                       every built-in suite
 *   npx tsx scripts/make-suites.ts synthetic-hard        one (or several) by name
 *   npx tsx scripts/make-suites.ts --cache-dir /tmp/c    where held-out sets and activations go
 *
 * maia-synthetic is pure data. synthetic-hard keeps, per family, the first seeded candidates that
 * pass their checks on the held-out scenes. paddle-ocr runs every output-unit task's check on the
 * real models and refuses a task that fails it. planted-cnn reads zoo/planted-cnn/metrics.json (its
 * kept units); background-bias is pure data. Deterministic: the same code gives the same files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'prettier';
import { pearson } from '../tools/metrics/correlation.ts';
import { ActivationCache } from '../tools/cache/activation-cache.ts';
import { probeSetDistribution } from '../tools/context.ts';
import { loadProbe } from '../tools/probe/load.ts';
import { makeProbeSet } from '../stimuli/probeset.ts';
import { DEFAULT_GRID, parseFormula, unitTruth, UnitDefinition } from '../subjects/synthetic/index.ts';
import {
  builtInSuitePath,
  BUILT_IN_SUITES,
  parseSuite,
  SUITES_DIR,
  type Suite,
  type Task,
} from '../benchmarks/suite.ts';
import { formulaValues } from '../benchmarks/scorers/formula-values.ts';
import { heldOutData, releaseHeldOut } from '../benchmarks/scorers/held-out.ts';
import { MAIA_HELD_OUT, maiaSyntheticSuite, maiaTasks } from '../benchmarks/suites/maia-synthetic.ts';
import { chooseHeldOutSize, HELD_OUT_SIZES } from '../benchmarks/suites/held-out-size.ts';
import {
  checkCandidate,
  HARD_CHECKS,
  HARD_HELD_OUT,
  HARD_QUOTAS,
  HARD_SCORERS,
  HARD_SUITE_NAME,
  hardCandidates,
  type HardFamily,
} from '../benchmarks/suites/synthetic-hard.ts';
import { syntheticTask } from '../benchmarks/suites/synthetic-task.ts';
import { textSyntheticSuite } from '../benchmarks/suites/text-synthetic.ts';
import { lmPlantedSuite } from '../benchmarks/suites/lm-planted.ts';
import { lmBackdoorSuite } from '../benchmarks/suites/lm-backdoor.ts';
import { PLANTED_SUITE_NAME, plantedCnnSuite, readPlantedMetrics } from '../benchmarks/suites/planted-cnn.ts';
import { BIAS_SUITE_NAME, backgroundBiasSuite } from '../benchmarks/suites/background-bias.ts';
import { heldOutTable } from '../benchmarks/scorers/text/held-out.ts';
import {
  firingRate,
  SPARSE_CHECK_SCENES,
  SPARSE_HELD_OUT,
  SPARSE_MAX_FIRING,
  SPARSE_QUOTAS,
  SPARSE_SCORERS,
  SPARSE_SUITE_NAME,
  sparseCandidates,
  type SparseFamily,
} from '../benchmarks/suites/synthetic-sparse.ts';
import {
  checkClsOrientation,
  checkRecChar,
  CLS,
  CLS_HELD_OUT,
  CLS_INTERNAL_COUNT,
  CLS_INTERNAL_SITE,
  clsOrientationTask,
  internalTask,
  liveliestUnits,
  PADDLE_SUITE_NAME,
  REC,
  REC_CHAR_CANDIDATES,
  REC_CHAR_COUNT,
  REC_HELD_OUT,
  REC_INTERNAL_COUNT,
  REC_INTERNAL_SITE,
  recCharTask,
} from '../benchmarks/suites/paddle-ocr.ts';

import {
  REAL_UNIT_SITES,
  REAL_UNITS_SUITE_NAME,
  realUnitTask,
} from '../benchmarks/suites/paddle-ocr-units.ts';

const say = (line: string) => process.stderr.write(`${line}\n`);

async function writeSuite(suite: Suite): Promise<void> {
  const checked = parseSuite(JSON.parse(JSON.stringify(suite)), suite.name);
  mkdirSync(SUITES_DIR, { recursive: true });
  const path = builtInSuitePath(checked.name);
  writeFileSync(path, await format(JSON.stringify(checked), { parser: 'json', printWidth: 110 }));
  say(`wrote ${path}: ${checked.tasks.length} tasks`);
}

async function makeMaia(cacheDir: string): Promise<Suite> {
  const sets = [];
  for (const n of HELD_OUT_SIZES) {
    say(`maia-synthetic: held-out set of ${n} scenes…`);
    sets.push(
      await makeProbeSet({ seed: MAIA_HELD_OUT.seed, n, size: 224, cacheDir: join(cacheDir, 'probesets') }),
    );
  }
  const sizes = new Map<string, { n: number; positives: number }>();
  for (const task of maiaTasks()) {
    const size = chooseHeldOutSize(parseFormula(task.truth.formula ?? ''), sets, DEFAULT_GRID);
    sizes.set(task.id, size);
    if (size.n > MAIA_HELD_OUT.n) say(`  ${task.id}: ${size.n} held-out scenes (fires on ${size.positives})`);
  }
  for (const set of sets) set.close();
  return maiaSyntheticSuite(sizes);
}

async function makeHard(cacheDir: string): Promise<Suite> {
  const set = await makeProbeSet({ ...HARD_HELD_OUT, size: 224, cacheDir: join(cacheDir, 'probesets') });
  const tasks: Task[] = [];
  for (const [family, candidates] of hardCandidates()) {
    const quota = HARD_QUOTAS[family];
    const kept: Task[] = [];
    const rejected = new Map<string, number>();
    for (const candidate of candidates) {
      if (kept.length >= quota) break;
      const check = checkCandidate(candidate, set, DEFAULT_GRID);
      let reason = check.ok ? '' : check.reason.replace(/[\d.]+/g, 'N');
      const task = syntheticTask({
        id: candidate.id,
        family,
        definition: candidate.definition,
        ...(candidate.concepts ? { concepts: candidate.concepts } : {}),
        scorers: HARD_SCORERS,
        heldOut: { ...HARD_HELD_OUT },
        origin: check.ok
          ? `synthetic-hard generator; fires on ${check.positives} of ${set.n} held-out scenes` +
            (Number.isNaN(check.singleR) ? '' : `, best single concept r ${check.singleR.toFixed(2)}`)
          : undefined,
      });
      if (check.ok && isNoisy(family)) {
        // The unit's own (noisy) activations against its clean rule: noise must matter, not drown it.
        const data = await heldOutData(task, cacheDir);
        const clean = formulaValues(parseFormula(task.truth.formula ?? ''), data.set, data.grid);
        const r = pearson(clean, data.truth);
        if (r < HARD_CHECKS.minNoisyR || r > HARD_CHECKS.maxNoisyR) reason = 'noise too weak or too strong';
        else task.origin = `${task.origin}, clean rule vs noisy unit r ${r.toFixed(2)}`;
      }
      if (reason === '') kept.push(task);
      else rejected.set(reason, (rejected.get(reason) ?? 0) + 1);
    }
    const reasons = [...rejected].map(([why, count]) => `${count}× ${why}`).join('; ');
    say(
      `${family}: kept ${kept.length}/${quota} of ${candidates.length} candidates${reasons ? ` (rejected ${reasons})` : ''}`,
    );
    if (kept.length < quota)
      throw new Error(`synthetic-hard: family ${family} has only ${kept.length} passing candidates`);
    tasks.push(...kept);
  }
  set.close();
  return {
    name: HARD_SUITE_NAME,
    description:
      'Synthetic units where naming one concept is not enough: spatial, size-tuned, graded hue, negation, ' +
      'relational, counting, word and intersection units, plus noisy mono and OR units (docs/benchmarks.md).',
    version: 1,
    tasks,
  };
}

function isNoisy(family: HardFamily): boolean {
  return family === 'noisy-mono' || family === 'noisy-or';
}

async function makePaddle(cacheDir: string): Promise<Suite> {
  const tasks: Task[] = [];
  const subjectOptions = { subject: { cacheDir } };
  const cls = await loadProbe(CLS, subjectOptions);
  for (const label of ['180', '0'] as const) {
    const check = await checkClsOrientation(cls, label);
    say(`${CLS} class '${label}': ${check.ok ? 'ok' : 'REFUSED'} (${check.detail})`);
    if (check.ok) tasks.push(clsOrientationTask(label, check.detail));
  }
  const rec = await loadProbe(REC, subjectOptions);
  const chars: Task[] = [];
  for (const char of REC_CHAR_CANDIDATES) {
    if (chars.length >= REC_CHAR_COUNT) break;
    const check = await checkRecChar(rec, char);
    say(`${REC} '${char}' (${check.unit}): ${check.ok ? 'ok' : 'REFUSED'} (${check.detail})`);
    if (check.ok) chars.push(recCharTask(char, check.unit, check.detail));
  }
  tasks.push(...chars);
  const cache = new ActivationCache(join(cacheDir, 'activations'));
  for (const [probe, subject, site, alias, count, heldOut] of [
    [cls, CLS, CLS_INTERNAL_SITE, 'final_block', CLS_INTERNAL_COUNT, CLS_HELD_OUT],
    [rec, REC, REC_INTERNAL_SITE, 'neck', REC_INTERNAL_COUNT, REC_HELD_OUT],
  ] as const) {
    const { width, height } = probe.sceneSize;
    const set = await makeProbeSet({
      ...heldOut,
      size: width,
      height,
      distribution: probeSetDistribution(probe),
      cacheDir: join(cacheDir, 'probesets'),
    });
    say(`${subject} ${alias}: reading ${set.n} held-out scenes…`);
    const activations = await cache.get(probe, set, site);
    for (const { index, std } of liveliestUnits(activations.values, activations.units, count)) {
      tasks.push(
        internalTask(
          subject,
          site,
          alias,
          index,
          { ...heldOut },
          `the ${alias} unit whose held-out activation varies most, std ${std.toFixed(3)}`,
        ),
      );
    }
    set.close();
  }
  await cls.dispose();
  await rec.dispose();
  return {
    name: PADDLE_SUITE_NAME,
    description:
      'PaddleOCR (zoo models): recogniser output units (which character), orientation classifier outputs ' +
      '(upright vs upside down), each checked on rendered text when the suite was made; and internal units ' +
      'without ground truth, scored by predictive evaluation (docs/benchmarks.md).',
    version: 1,
    tasks,
  };
}

/**
 * text-synthetic: every unit of the text bank; each must fire on enough held-out tokens for the
 * token-level scorers to have positives to rank (a unit that does not is refused).
 */
async function makeText(cacheDir: string): Promise<Suite> {
  const suite = textSyntheticSuite();
  for (const task of suite.tasks) {
    const table = await heldOutTable(task, cacheDir);
    let firing = 0;
    for (const a of table.activations) if (a > table.threshold) firing++;
    if (firing < MIN_TEXT_POSITIVES)
      throw new Error(`${task.id} fires on ${firing} held-out tokens, fewer than ${MIN_TEXT_POSITIVES}`);
    say(`${task.id}: fires on ${firing} of ${table.size} held-out tokens`);
  }
  return suite;
}

const MIN_TEXT_POSITIVES = 5;

/** Real units across the PaddleOCR layers: at each site, the units whose held-out activations vary most. */
async function makeRealUnits(cacheDir: string): Promise<Suite> {
  const tasks: Task[] = [];
  const cache = new ActivationCache(join(cacheDir, 'activations'));
  for (const subject of [...new Set(REAL_UNIT_SITES.map((s) => s.subject))]) {
    const probe = await loadProbe(subject, { subject: { cacheDir } });
    for (const site of REAL_UNIT_SITES.filter((s) => s.subject === subject)) {
      const { width, height } = probe.sceneSize;
      const set = await makeProbeSet({
        ...site.heldOut,
        size: width,
        height,
        distribution: probeSetDistribution(probe),
        cacheDir: join(cacheDir, 'probesets'),
      });
      say(`${subject} ${site.alias}: reading ${set.n} held-out scenes…`);
      const activations = await cache.get(probe, set, site.site);
      for (const { index, std } of liveliestUnits(activations.values, activations.units, site.count)) {
        tasks.push(
          realUnitTask(
            site,
            index,
            `the ${site.alias} unit${site.count > 1 ? 's' : ''} whose held-out activation varies most; std ${std.toFixed(3)}`,
          ),
        );
      }
      set.close();
    }
    await probe.dispose();
  }
  return {
    name: REAL_UNITS_SUITE_NAME,
    description:
      'Real units across the layers of the PaddleOCR models (classifier stem to last block, recogniser neck), ' +
      'no ground truth: scored by formula, predictive and (with a judge) simulation scorers (docs/benchmarks.md).',
    version: 1,
    tasks,
  };
}

/** Contrastive held-out scenes must give the unit at least this many firing scenes. */
const SPARSE_MIN_POSITIVES = 10;

async function makeSparse(cacheDir: string): Promise<Suite> {
  const check = await makeProbeSet({
    n: SPARSE_CHECK_SCENES, seed: SPARSE_HELD_OUT.seed, size: 224, cacheDir: join(cacheDir, 'probesets'),
  }); // prettier-ignore
  const tasks: Task[] = [];
  for (const [family, candidates] of sparseCandidates()) {
    const quota = SPARSE_QUOTAS[family as SparseFamily];
    let kept = 0;
    for (const { formula } of candidates) {
      if (kept >= quota) break;
      const { firing, rate } = firingRate(formula, check, DEFAULT_GRID);
      if (rate >= SPARSE_MAX_FIRING) continue;
      const id = `sparse-${family}-${kept + 1}`;
      const task = syntheticTask({
        id, family,
        definition: { id, family: 'formula', formula },
        scorers: SPARSE_SCORERS,
        heldOut: { ...SPARSE_HELD_OUT },
        origin:
          `synthetic-sparse generator; fires on ${firing} of ${SPARSE_CHECK_SCENES} random scenes ` +
          `(${(rate * 100).toFixed(2)}%)`,
      }); // prettier-ignore
      const data = await heldOutData(task, cacheDir);
      const positives = data.truth.filter((v) => v > data.threshold).length;
      if (positives < SPARSE_MIN_POSITIVES) continue;
      tasks.push({
        ...task,
        origin: `${task.origin ?? ''}; fires on ${positives} of ${data.set.n} held-out scenes`,
      });
      kept++;
      say(`  ${id}: ${formula} (${firing}/${SPARSE_CHECK_SCENES} random, ${positives} held out)`);
    }
    if (kept < quota)
      throw new Error(`synthetic-sparse: family ${family} has only ${kept} passing candidates`);
  }
  check.close();
  return {
    name: SPARSE_SUITE_NAME,
    description:
      'Rare synthetic units: each fires on under 0.5% of random probe scenes (counting, relations, rare pairs, ' +
      'rare objects at a size or place); scored on contrastive held-out sets (random scenes plus scenes built ' +
      'to satisfy the rule and minimal pairs that break it).',
    version: 1,
    tasks,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const cacheAt = args.indexOf('--cache-dir');
  const cacheDir = resolve(
    cacheAt >= 0 ? (args[cacheAt + 1] ?? '.cache') : (process.env.AIA_CACHE_DIR ?? '.cache'),
  );
  const names = args.filter((arg, i) => !arg.startsWith('--') && (cacheAt < 0 || i !== cacheAt + 1));
  const wanted = names.length > 0 ? names : [...BUILT_IN_SUITES];
  for (const name of wanted) {
    if (!(BUILT_IN_SUITES as readonly string[]).includes(name)) throw new Error(`unknown suite '${name}'`);
  }
  // The truth formula of every synthetic unit must be what its definition computes.
  const agree = (task: Task) => {
    const subject = task.subject.slice('synthetic:'.length);
    if (!subject.startsWith('[')) return;
    const [definition] = JSON.parse(subject) as unknown[];
    if (unitTruth(UnitDefinition.parse(definition)).formula !== task.truth.formula)
      throw new Error(`${task.id}: truth formula differs from the unit's`);
  };
  for (const name of wanted) {
    const started = performance.now();
    const suite =
      name === 'maia-synthetic'
        ? await makeMaia(cacheDir)
        : name === 'synthetic-hard'
          ? await makeHard(cacheDir)
          : name === 'text-synthetic'
            ? await makeText(cacheDir)
            : name === 'lm-planted'
              ? lmPlantedSuite()
              : name === 'lm-backdoor'
                ? lmBackdoorSuite()
                : name === REAL_UNITS_SUITE_NAME
                  ? await makeRealUnits(cacheDir)
                  : name === 'synthetic-sparse'
                    ? await makeSparse(cacheDir)
                    : name === PLANTED_SUITE_NAME
                      ? plantedCnnSuite(readPlantedMetrics())
                      : name === BIAS_SUITE_NAME
                        ? backgroundBiasSuite()
                        : await makePaddle(cacheDir);
    suite.tasks.forEach(agree);
    await writeSuite(suite);
    say(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await releaseHeldOut();
}

main().catch((error: unknown) => {
  process.stderr.write(`make-suites: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
