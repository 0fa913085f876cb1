/**
 * Generated runs for a property: `n`, or at most `AIDIAL_PROPERTY_RUNS` when it is set (`pnpm mutate`
 * sets it, since it runs each property once per mutant).
 */
export const numRuns = (n: number): number => Math.min(n, Number(process.env["AIDIAL_PROPERTY_RUNS"] ?? n))
