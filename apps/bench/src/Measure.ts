/** Throughput and latency of one operation over several rounds. */
export interface Figures {
  /** Median over rounds of operations per second. */
  readonly opsPerSecond: number
  /** Latency percentiles over every timed operation, in microseconds. */
  readonly p50: number
  readonly p99: number
}

/** The middle value (the upper middle of an even count). */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

const percentile = (sorted: Float64Array, p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0

/**
 * Runs `op(i)` `perRound` times per round after one warm-up round; throughput is timed over each
 * whole round, latency per call on separate rounds (so the clock reads do not slow the throughput).
 */
export const measure = (rounds: number, perRound: number, op: (i: number) => unknown): Figures => {
  for (let i = 0; i < perRound; i++) op(i)
  const rates: Array<number> = []
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < perRound; i++) op(i)
    rates.push(perRound / (Number(process.hrtime.bigint() - start) / 1e9))
  }
  const latencies = new Float64Array(perRound)
  for (let i = 0; i < perRound; i++) {
    const start = process.hrtime.bigint()
    op(i)
    latencies[i] = Number(process.hrtime.bigint() - start) / 1000
  }
  latencies.sort()
  return { opsPerSecond: median(rates), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) }
}

/** An operation timed two ways: a whole round at once (throughput), and one call (latency). */
export interface Subject {
  /** Runs calls `0 .. count - 1` back to back, the way a server in a running fiber would. */
  readonly round: (count: number) => void
  /** Runs call `i` alone. */
  readonly one: (i: number) => unknown
}

/**
 * Measures several subjects with their rounds interleaved (a, b, a, b, ...), so that noise from the
 * rest of the machine falls on each of them alike; one warm-up round each first.
 */
export const compare = (rounds: number, perRound: number, subjects: ReadonlyArray<Subject>): Array<Figures> => {
  for (const s of subjects) s.round(perRound)
  const rates = subjects.map((): Array<number> => [])
  for (let r = 0; r < rounds; r++) {
    subjects.forEach((s, k) => {
      const start = process.hrtime.bigint()
      s.round(perRound)
      rates[k]?.push(perRound / (Number(process.hrtime.bigint() - start) / 1e9))
    })
  }
  return subjects.map((s, k) => {
    const latencies = new Float64Array(perRound)
    for (let i = 0; i < perRound; i++) {
      const start = process.hrtime.bigint()
      s.one(i)
      latencies[i] = Number(process.hrtime.bigint() - start) / 1000
    }
    latencies.sort()
    return { opsPerSecond: median(rates[k] ?? []), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) }
  })
}

/** One line of figures. */
export const format = (label: string, f: Figures): string =>
  `${label.padEnd(52)} ${Math.round(f.opsPerSecond).toLocaleString("en-US").padStart(12)} ops/s   p50 ${
    f.p50.toFixed(1).padStart(6)
  } us   p99 ${f.p99.toFixed(1).padStart(6)} us`
