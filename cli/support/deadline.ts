/**
 * What the commands that wait (`rotate`, `recover`, `canary`) share: the deadline they are given, and what lags
 * at it, as they print it.
 */
import { parseGoDuration } from '../../constructs/src/duration';
import type { Lag } from '../operations/rotation';

/** A Go duration (`5m`, `90s`) as milliseconds, or an error naming the option. */
export function deadlineMs(option: string, text: string): number {
  const nanos = parseGoDuration(text);
  if (nanos === undefined || nanos <= 0n) throw new Error(`${option} "${text}" is not a positive duration such as 5m or 90s`);
  return Number(nanos / 1_000_000n);
}

/** What lags at the deadline, by namespace, as `rotate`, `recover` and `canary` print it. */
export function laggingLines(lagging: readonly Lag[]): string[] {
  if (lagging.length === 0) return [];
  return [`lagging at the deadline (${lagging.length}):`, ...lagging.map((lag) => `  ${lag.namespace}: ${lag.object}: ${lag.reason}`)];
}
