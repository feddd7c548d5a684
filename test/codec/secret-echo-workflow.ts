import { ApplicationFailure } from '@temporalio/workflow';

/** A test-only workflow whose input and result carry a secret, to see what Temporal stores. */
export async function secretEchoWorkflow(input: { secret: string }): Promise<{ echoed: string }> {
  return { echoed: `echo:${input.secret}` };
}

/** Fails with the secret in its message, to see whether failures reach history in clear. */
export async function secretFailureWorkflow(input: { secret: string }): Promise<never> {
  throw ApplicationFailure.nonRetryable(`router refused the password ${input.secret}`, 'Router.trap');
}
