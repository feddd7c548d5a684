import type { BundleOptions } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../infra/payload-codec';

/**
 * What goes into the workflow bundle besides the workflows: the interceptor that refuses unencrypted
 * messages and the failure converter that encodes failures. The worker, the tests' shared bundle and
 * the benchmarks all bundle with these, so none runs workflows without them.
 */
export const WORKFLOW_BUNDLE_OPTIONS = {
  workflowsPath: require.resolve('../workflows'),
  workflowInterceptorModules: [require.resolve('../workflows/refuse-unencrypted')],
  failureConverterPath: FAILURE_CONVERTER_PATH,
} satisfies Partial<BundleOptions>;
