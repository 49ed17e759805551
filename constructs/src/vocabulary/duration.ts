/**
 * Go `time.Duration` strings, parsed and printed exactly as Go does (a pure module: no cdk8s, so the catalogue
 * validates its durations with it too). ESO decodes every duration it reads into
 * a `time.Duration` and, when it writes an object back, stores `Duration.String()`: `1m` comes back as
 * `1m0s`. Writing that canonical form in the first place keeps a second apply and `pulumi preview` quiet.
 */

const UNIT_NANOS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 MICRO SIGN
  μs: 1_000n, // U+03BC GREEK SMALL LETTER MU
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_INT64 = (1n << 63n) - 1n;
const COMPONENT = /^([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/;

/** Parses a non-negative Go duration into nanoseconds; undefined when Go's `time.ParseDuration` would refuse it. */
export function parseGoDuration(text: string): bigint | undefined {
  if (text === '0') return 0n;
  if (text === '') return undefined;
  let rest = text;
  let total = 0n;
  while (rest.length > 0) {
    const match = COMPONENT.exec(rest);
    if (!match) return undefined;
    const [whole, integer, fraction = '', unit] = match;
    if (integer === '' && fraction === '') return undefined;
    const scale = UNIT_NANOS[unit];
    // Go truncates what lies below one nanosecond.
    const fractionNanos = fraction === '' ? 0n : (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length);
    total += BigInt(integer || '0') * scale + fractionNanos;
    if (total > MAX_INT64) return undefined;
    rest = rest.slice(whole.length);
  }
  return total;
}

/** `v` with `precision` fractional digits, trailing zeros and a bare point dropped, as Go's fmtFrac. */
function withFraction(value: bigint, precision: number): { integer: bigint; fraction: string } {
  const divisor = 10n ** BigInt(precision);
  const digits = (value % divisor).toString().padStart(precision, '0').replace(/0+$/, '');
  return { integer: value / divisor, fraction: digits === '' ? '' : `.${digits}` };
}

/** Go's `time.Duration.String()` of a non-negative number of nanoseconds. */
export function formatGoDuration(nanos: bigint): string {
  if (nanos === 0n) return '0s';
  if (nanos < UNIT_NANOS.s) {
    const [precision, unit] = nanos < UNIT_NANOS.us ? [0, 'ns'] : nanos < UNIT_NANOS.ms ? [3, 'µs'] : [6, 'ms'];
    const { integer, fraction } = withFraction(nanos, precision);
    return `${integer}${fraction}${unit}`;
  }
  const { integer: seconds, fraction } = withFraction(nanos, 9);
  const hours = seconds / 3600n;
  const minutes = (seconds / 60n) % 60n;
  const secs = `${seconds % 60n}${fraction}s`;
  if (hours > 0n) return `${hours}h${minutes}m${secs}`;
  if (minutes > 0n) return `${minutes}m${secs}`;
  return secs;
}

/**
 * A duration, the one representation of a duration inside the product: Go duration strings on the wire (the
 * catalogue, construct props, ESO's objects, command-line options), parsed into this once, then read in the
 * unit a consumer needs. Prints in the canonical Go form ESO stores (`5m` -> `5m0s`).
 */
export class GoDuration {
  /** Parses a non-negative Go duration such as `30s`, `5m` or `1h30m`; throws saying what one looks like. */
  static parse(text: string): GoDuration {
    const duration = GoDuration.tryParse(text);
    if (duration === undefined) throw new Error(`"${text}" is not a Go duration such as 30s, 5m or 1h30m`);
    return duration;
  }

  /** Parses a Go duration, or undefined when Go's `time.ParseDuration` would refuse it (or it is negative). */
  static tryParse(text: string): GoDuration | undefined {
    const nanoseconds = parseGoDuration(text);
    return nanoseconds === undefined ? undefined : new GoDuration(nanoseconds);
  }

  /** A whole number of seconds. */
  static seconds(seconds: number): GoDuration {
    if (!Number.isSafeInteger(seconds) || seconds < 0) throw new Error(`${seconds} is not a whole, non-negative number of seconds`);
    return new GoDuration(BigInt(seconds) * UNIT_NANOS.s);
  }

  private constructor(readonly nanoseconds: bigint) {}

  /** In seconds, with any fraction. */
  get seconds(): number {
    return Number(this.nanoseconds) / 1e9;
  }

  /** In milliseconds, with any fraction: what timers take. */
  get milliseconds(): number {
    return Number(this.nanoseconds) / 1e6;
  }

  /** Whether it is a whole number of seconds, as ESO's store interval and Prometheus' `for` need. */
  get wholeSeconds(): boolean {
    return this.nanoseconds % UNIT_NANOS.s === 0n;
  }

  /** Go's `time.Duration.String()`: the form ESO writes back. */
  toString(): string {
    return formatGoDuration(this.nanoseconds);
  }
}

/**
 * A duration prop in the canonical Go form ESO stores (`5m` -> `5m0s`). ESO rewrites any other spelling when
 * it updates the object and then owns the field, so the next server-side apply would conflict with it.
 */
export function goDurationProp(owner: string, prop: string, value: string): string {
  return durationProp(owner, prop, value).toString();
}

/** A duration prop, parsed; the error names the construct and the prop. */
export function durationProp(owner: string, prop: string, value: string): GoDuration {
  try {
    return GoDuration.parse(value);
  } catch (error) {
    throw new Error(`${owner}: ${prop} ${(error as Error).message}`);
  }
}
