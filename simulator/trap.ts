/** RouterOS trap categories, as sent in `=category=`. */
export enum TrapCategory {
  MissingItemOrCommand = 0,
  ArgumentValueFailure = 1,
  Interrupted = 2,
  ScriptingFailure = 3,
  GeneralFailure = 4,
  ApiFailure = 5,
  TtyFailure = 6,
  ReturnValue = 7,
}

/** A command failure answered with `!trap [=category=N] =message=...` then `!done`. */
export class ApiTrap extends Error {
  /**
   * @param followUps further traps the router sends for the same failure before `!done`
   *   (an unknown menu gets two).
   */
  constructor(
    message: string,
    readonly category?: TrapCategory,
    readonly followUps: ReadonlyArray<{ message: string; category?: TrapCategory }> = [],
  ) {
    super(message);
    this.name = 'ApiTrap';
  }
}

export const noSuchItem = () => new ApiTrap('no such item');
export const unknownParameter = (name: string) => new ApiTrap(`unknown parameter ${name}`);
export const noMatchingValue = (property: string) =>
  new ApiTrap(`input does not match any value of ${property}`, TrapCategory.ArgumentValueFailure);
export const outOfRange = (property: string, range: string) =>
  new ApiTrap(`value of ${property} is out of range (${range})`, TrapCategory.ArgumentValueFailure);
export const noSuchCommand = (word: string) =>
  new ApiTrap(`no such command or directory (${word})`, TrapCategory.MissingItemOrCommand);
export const noSuchMenu = (word: string) =>
  new ApiTrap(`no such command or directory (${word})`, TrapCategory.MissingItemOrCommand, [
    { message: 'no such command prefix' },
  ]);
