/**
 * What the commands that wait (`rotate`, `recover`, `canary`) share: the deadline they are given, and what lags
 * at it, as they print it.
 */
import { GoDuration } from '@central-secret-store/constructs/vocabulary';
import type { Lag } from '../operations/rotation';

/** A Go duration option (`5m`, `90s`) in milliseconds, what the operations' clocks count in; the error names the option. */
export function deadlineMs(option: string, text: string): number {
  const duration = GoDuration.tryParse(text);
  if (duration === undefined || duration.nanoseconds <= 0n)
    throw new Error(`${option} "${text}" is not a positive duration such as 5m or 90s`);
  return duration.milliseconds;
}

/** What lags at the deadline, by namespace, as `rotate`, `recover` and `canary` print it. */
export function laggingLines(lagging: readonly Lag[]): string[] {
  if (lagging.length === 0) return [];
  return [`lagging at the deadline (${lagging.length}):`, ...lagging.map((lag) => `  ${lag.namespace}: ${lag.object}: ${lag.reason}`)];
}
