/**
 * Durations are written as ESO writes them back (Go's `time.Duration.String()`), or a second apply conflicts
 * with ESO. Checked against Go's own time package over random durations.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { formatGoDuration, parseGoDuration } from '../../constructs/src';

/** Go's time package, through test/toolchain/go-duration (stdlib only, built by `go run` into Go's cache). */
class GoTime {
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];

  constructor() {
    this.process = spawn('go', ['run', '.'], { cwd: join(__dirname, '..', 'toolchain', 'go-duration') });
    createInterface({ input: this.process.stdout }).on('line', (line) => this.waiting.shift()?.(line));
  }

  ask(line: string): Promise<string> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.process.stdin.write(`${line}\n`);
    });
  }

  close(): void {
    this.process.stdin.end();
  }
}

const RUNS = { numRuns: 300 };
let go: GoTime;
beforeAll(() => {
  go = new GoTime();
});
afterAll(() => go.close());

const unit = fc.constantFrom('ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h');
/** Small numbers as people write them (`5m`, `90s`) as often as large ones. */
const digits = (max: number) => fc.oneof(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max })).map(String);
/** One component such as `90s`, `1.5h`, `.25ms` or `007m`, including forms Go refuses (`.h`). */
const component = fc
  .tuple(
    fc.option(digits(100_000), { nil: '' }),
    fc.option(fc.tuple(fc.constant('.'), fc.option(digits(999_999), { nil: '' })), { nil: undefined }),
    unit,
  )
  .map(([integer, fraction, u]) => `${integer}${fraction ? fraction.join('') : ''}${u}`);
const durationText = fc.oneof(
  fc.array(component, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')),
  fc.constantFrom(
    '0',
    '',
    '1',
    'm',
    '1d',
    '1 m',
    '1m ',
    '9223372036854775807ns',
    '9223372036854775808ns',
    '2562047h47m16.854775807s',
    '2562048h',
  ),
);

describe('Go durations', () => {
  test('parsing then printing agrees with Go: same canonical string, same refusals', async () => {
    await fc.assert(
      fc.asyncProperty(durationText, async (text) => {
        const nanos = parseGoDuration(text);
        const ours = nanos === undefined ? 'error' : formatGoDuration(nanos);
        expect(ours).toBe(await go.ask(`parse ${text}`));
      }),
      RUNS,
    );
  });

  test('printing any non-negative duration agrees with Go', async () => {
    const SECOND = 1_000_000_000n;
    // Round hours, minutes and seconds with optional sub-second parts, as well as arbitrary counts.
    const composed = fc
      .tuple(
        fc.bigInt({ min: 0n, max: 3n }),
        fc.bigInt({ min: 0n, max: 59n }),
        fc.bigInt({ min: 0n, max: 59n }),
        fc.constantFrom(0n, 0n, 500_000_000n, 1_000n, 7n),
      )
      .map(([h, m, sec, sub]) => ((h * 60n + m) * 60n + sec) * SECOND + sub);
    const nanos = fc.oneof(
      composed,
      fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
      fc.bigInt({ min: 0n, max: 10n ** 12n }),
      fc.bigInt({ min: 0n, max: 10n ** 6n }),
    );
    await fc.assert(
      fc.asyncProperty(nanos, async (n) => {
        expect(formatGoDuration(n)).toBe(await go.ask(`format ${n}`));
      }),
      RUNS,
    );
  });

  test('signed durations are refused: an interval is never negative', () => {
    expect(parseGoDuration('-1m')).toBeUndefined();
    expect(parseGoDuration('+1m')).toBeUndefined();
  });
});
