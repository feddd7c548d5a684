/** A test-only workflow whose input and result carry a secret, to see what Temporal stores. */
export async function secretEchoWorkflow(input: { secret: string }): Promise<{ echoed: string }> {
  return { echoed: `echo:${input.secret}` };
}
