/** Small helpers every bench part shares: percentiles, rounding, and running one part alone. */

/** The value below which a share `p` (0–1) of `values` falls (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Two decimals, for figures printed as JSON. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Runs a part as its own script: one JSON line named `bench`, or the stack and exit code 1. */
export function runAlone(bench: string, figures: Promise<object>): void {
  figures.then(
    (result) => process.stdout.write(`${JSON.stringify({ bench, ...result })}\n`),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
