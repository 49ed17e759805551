import fc from 'fast-check';
import { REQUESTS_PER_COPY, CLIENT_BUDGET_SECONDS, esoTuningFor } from '../../stacks/eso-tuning';

const ESO_DEFAULTS = { concurrent: 1, clientQps: 50, clientBurst: 100 };
const CEILING = esoTuningFor(Number.MAX_SAFE_INTEGER - 1);

describe('esoTuningFor', () => {
  test("a small cluster keeps ESO's client limits, with 4 workers", () => {
    expect(esoTuningFor(0)).toEqual({ concurrent: 4, clientQps: ESO_DEFAULTS.clientQps, clientBurst: ESO_DEFAULTS.clientBurst });
    expect(esoTuningFor(100)).toEqual(esoTuningFor(0));
  });

  test("1,000 copies: room in ESO's client for every copy's requests within the budget", () => {
    const tuning = esoTuningFor(1000);
    expect(tuning.clientQps * CLIENT_BUDGET_SECONDS).toBeGreaterThanOrEqual(1000 * REQUESTS_PER_COPY);
    expect(tuning.clientBurst).toBe(2 * tuning.clientQps);
    expect(tuning.concurrent).toBeGreaterThan(4);
  });

  test('never below ESO defaults nor above the ceiling, and never smaller for more copies', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), (a, b) => {
        const [small, large] = [esoTuningFor(Math.min(a, b)), esoTuningFor(Math.max(a, b))];
        for (const key of ['concurrent', 'clientQps', 'clientBurst'] as const) {
          expect(small[key]).toBeGreaterThanOrEqual(ESO_DEFAULTS[key]);
          expect(large[key]).toBeGreaterThanOrEqual(small[key]);
          expect(large[key]).toBeLessThanOrEqual(CEILING[key]);
          expect(Number.isInteger(large[key])).toBe(true);
        }
        expect(large.clientBurst).toBeGreaterThanOrEqual(large.clientQps);
      }),
      { numRuns: 200 },
    );
  });

  test('refuses what is not a count', () => {
    for (const copies of [-1, 1.5, Number.NaN])
      expect(() => esoTuningFor(copies)).toThrow(`copies must be a whole number of at least 0, not ${copies}`);
  });
});
