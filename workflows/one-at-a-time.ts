/**
 * Takes turns: each `take` runs its work after every earlier one has finished, in the order they
 * asked. The turn passes straight to the next in line, so no third caller can slip in between.
 */
class Turns {
  private busy = false;
  private readonly waiting: Array<() => void> = [];

  async take<T>(work: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.busy = true;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.busy = false;
    }
  }
}

/**
 * The same activities, called one at a time. Local activities that run at once reach the workflow in
 * the order they finish, but on replay in the order they were started (the same Core behaviour as
 * temporalio/sdk-python#1578), so the code that resumes after them could issue its commands in
 * another order than the history holds, and the run would no longer replay.
 */
export function oneAtATime<A extends object>(activities: A): A {
  const turns = new Turns();
  return new Proxy(activities, {
    get(target, name) {
      const activity = Reflect.get(target, name) as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => turns.take(() => activity(...args));
    },
  });
}
