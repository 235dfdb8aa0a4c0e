/** Probes: one interface over ONNX subjects and synthetic units, so every tool works on both. */
export type {
  OutputScores,
  Probe,
  ProbeSite,
  ReferenceMeans,
  ScoreFn,
  ScorerTarget,
  SiteBatchStats,
  UnitAddress,
  UnitEdit,
  UnitEditOp,
  UnitMap,
} from './types.ts';
export { OnnxProbe, ONNX_BATCH, nativeSceneSize, rowProbabilities } from './onnx-probe.ts';
export { SyntheticProbe, SYNTHETIC_SITE, perturbedScene } from './synthetic-probe.ts';
export { cropToImage, rawUnitMap, siteMaxima, unitMapOverImage } from './site-maps.ts';
export { loadProbe, type LoadProbeOptions } from './load.ts';
export { resolveProbeSite, siteLabel } from './sites.ts';
