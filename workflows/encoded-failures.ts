import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces go into an encoded payload instead of plain history fields, so
 * the payload codec encrypts router errors and traces like every other payload. Loaded by path
 * (`failureConverterPath`) because the workflow sandbox needs its own copy.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
