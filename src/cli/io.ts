/** What every admin CLI command writes to, and the errors that mean "exit 2". */
export type Io = { out: (s: string) => void; err: (s: string) => void };

/** Wrong arguments: the CLI prints the command's usage and exits with 2. */
export class UsageError extends Error {}

/**
 * A bad value in the arguments (unknown customer or plan, bad date): the CLI prints the
 * localised message, then the command's usage, and exits with 2 before writing anything.
 */
export class InputError extends Error {
  constructor(
    readonly key: string,
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {
    super(key);
    this.name = 'InputError';
  }
}
