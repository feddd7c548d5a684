export { RouterOsClient } from './client';
export { DEFAULT_TIMEOUT_MS, RouterConnection } from './connection';
export * from './errors';
export {
  compareRouterOsVersions,
  parseCounterPair,
  parseRate,
  parseRatePair,
  parseRouterOsVersion,
  parseUptimeSeconds,
  type DirectionPair,
  type RouterOsVersion,
} from './parse';
export {
  DEFAULT_POOL_LIMITS,
  RouterConnectionPool,
  type CallOptions,
  type PoolLimits,
  type RouterCaller,
} from './router-connection-pool';
export { RouterConnections } from './router-connections';
export { normalizeFingerprint } from './tls';
export type * from './types';
