/**
 * ESO's throughput settings, sized by how many copies the cluster's ClusterExternalSecrets make ESO write.
 *
 * A copy's sync costs ESO about five requests to the API server (the ServiceAccount token its store logs in
 * with, the master Secret, the copy's Secret, the ExternalSecret's status, and the distribution's own write
 * when a rotation asks every copy at once), all through one client that ESO limits to `--client-qps`
 * requests a second (burst `--client-burst`). With ESO's defaults (50/100) that limit, not the API server,
 * caps a rotation at about ten copies a second. The formula gives the client room for every copy's requests
 * within CLIENT_BUDGET_SECONDS, and enough workers (`--concurrent`) to keep that many requests in flight, with
 * floors at ESO's defaults and ceilings where more stopped helping. The API server and ESO's workers take the
 * rest: on the measured 2-core node a rotation of 1,000 copies took 27-29 s with these settings (33.4 s with a
 * 20 s budget, 55 s with the settings shipped before, 151 s with ESO's defaults; `npm run bench:eso`,
 * docs/deploying.md, "Tuning ESO for fan-out").
 */

/** The seconds ESO's client limit leaves for every copy's requests in a rotation. */
export const CLIENT_BUDGET_SECONDS = 10;
/** API requests one copy's sync costs ESO during a rotation (see above). */
export const REQUESTS_PER_COPY = 5;

export interface EsoTuning {
  /** Reconciles ESO runs at once per controller (`--concurrent`). */
  readonly concurrent: number;
  /** Requests a second ESO's API client may make (`--client-qps`). */
  readonly clientQps: number;
  /** Requests ESO's API client may make at once above that rate (`--client-burst`). */
  readonly clientBurst: number;
}

/** ESO's own defaults, which the formula never goes below. */
const FLOOR: EsoTuning = { concurrent: 4, clientQps: 50, clientBurst: 100 };
/** Where more stopped helping on the measured node; a bigger control plane may take the settings higher. */
const CEILING: EsoTuning = { concurrent: 32, clientQps: 1000, clientBurst: 2000 };
/** Requests a second one worker keeps going: a sync is a handful of sequential requests of a few ms each. */
const REQUESTS_PER_WORKER = 25;

const within = (value: number, key: keyof EsoTuning) => Math.min(CEILING[key], Math.max(FLOOR[key], Math.ceil(value)));

/**
 * The settings for a cluster whose distributions write `copies` ExternalSecrets:
 * `clientQps = copies x REQUESTS_PER_COPY / CLIENT_BUDGET_SECONDS`, `clientBurst = 2 x clientQps`,
 * `concurrent = clientQps / REQUESTS_PER_WORKER`, each between ESO's defaults and the measured ceiling.
 */
export function esoTuningFor(copies: number): EsoTuning {
  if (!Number.isInteger(copies) || copies < 0) throw new Error(`copies must be a whole number of at least 0, not ${copies}`);
  const clientQps = within((copies * REQUESTS_PER_COPY) / CLIENT_BUDGET_SECONDS, 'clientQps');
  return {
    concurrent: within(clientQps / REQUESTS_PER_WORKER, 'concurrent'),
    clientQps,
    clientBurst: within(2 * clientQps, 'clientBurst'),
  };
}
