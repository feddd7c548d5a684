import {
  ApplicationFailure,
  log,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
} from '@temporalio/workflow';
import { FAILURE } from '../domain/failures';
import { refusedEncodingAmong, refusedPayloadMessage } from '../domain/refused-payloads';

function refusal(args: readonly unknown[]): ApplicationFailure | undefined {
  const encoding = refusedEncodingAmong(args);
  return encoding === undefined
    ? undefined
    : ApplicationFailure.nonRetryable(refusedPayloadMessage(encoding), FAILURE.unencryptedPayload);
}

/**
 * Refuses every message whose arguments the codec could not decrypt (domain/refused-payloads.ts):
 * whoever reaches Temporal without the payload key can neither start, update, query nor signal a
 * workflow. A refused signal is dropped rather than failed, so it cannot wedge a running service.
 */
class RefuseUnencryptedInbound implements WorkflowInboundCallsInterceptor {
  execute: WorkflowInboundCallsInterceptor['execute'] = (input, next) => {
    const failure = refusal(input.args);
    return failure ? Promise.reject(failure) : next(input);
  };

  validateUpdate: WorkflowInboundCallsInterceptor['validateUpdate'] = (input, next) => {
    const failure = refusal(input.args);
    if (failure) throw failure;
    next(input);
  };

  handleUpdate: WorkflowInboundCallsInterceptor['handleUpdate'] = (input, next) => {
    const failure = refusal(input.args);
    return failure ? Promise.reject(failure) : next(input);
  };

  handleQuery: WorkflowInboundCallsInterceptor['handleQuery'] = (input, next) => {
    const failure = refusal(input.args);
    return failure ? Promise.reject(failure) : next(input);
  };

  handleSignal: WorkflowInboundCallsInterceptor['handleSignal'] = (input, next) => {
    const encoding = refusedEncodingAmong(input.args);
    if (encoding === undefined) return next(input);
    log.warn('signal dropped', { signal: input.signalName, reason: refusedPayloadMessage(encoding) });
    return Promise.resolve();
  };
}

export const interceptors = (): WorkflowInterceptors => ({ inbound: [new RefuseUnencryptedInbound()] });
