/** The activation cache: a site's activations over a probe set, computed once, kept on disk. */
export {
  ActivationCache,
  computeSiteActivations,
  type ProgressFn,
  type SiteActivations,
} from './activation-cache.ts';
export {
  CACHE_FORMAT_VERSION,
  readCacheFile,
  writeCacheFile,
  type CacheKey,
  type CachedActivations,
} from './cache-file.ts';
export { probeSetScenes } from './probe-scenes.ts';
