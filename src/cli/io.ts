/** What every admin CLI command writes to, and the error that means "print the usage". */
export type Io = { out: (s: string) => void; err: (s: string) => void };

/** Wrong arguments: the CLI prints the command's usage and exits with 2. */
export class UsageError extends Error {}
