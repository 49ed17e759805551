/**
 * The record of an operational run (`rotate`, `recover`, `canary`): a Kubernetes Event on every object the run
 * acted on, saying who ran what and how it ended, so that `kubectl describe` of a tenant's ExternalSecret shows
 * who rotated it; and the same as one JSON document for the change log (`--report <file>`). Never a value: the
 * record holds names, counts and reasons.
 */
import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { mapAtMost } from '../support/map-at-most';
import { checkOutputFile, writeOutputFile } from '../support/output-file';

export type AuditedOperation = 'rotate' | 'recover' | 'canary';

/** An object a run acted on, as an Event's `regarding`. */
export interface ActedOn {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** What marks a file as an audit record this command wrote (`--report` replaces only such a file). */
export const AUDIT_RECORD_KIND = 'central-secret-store/audit-record';

export interface AuditRecord {
  readonly kind: typeof AUDIT_RECORD_KIND;
  readonly operation: AuditedOperation;
  /** The kubeconfig context and the API server it points at. */
  readonly cluster: { readonly context: string; readonly server: string };
  /** Who ran it: the user the API server authenticated (SelfSubjectReview), or the kubeconfig's user, marked so. */
  readonly actor: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly ok: boolean;
  /** The credential rotated or checked, where there is one. */
  readonly credential?: string;
  /** One line: what was confirmed, what lags. */
  readonly summary: string;
  /** Every object acted on, `<namespace>/<Kind> <name>`. */
  readonly actedOn: readonly string[];
  /** The Events written, and those that could not be (forbidden, say), with why. */
  readonly events: { readonly written: number; readonly failed: readonly string[] };
  /** The run's result, as `--json` prints it. */
  readonly result: unknown;
}

export interface AuditEvent {
  readonly regarding: ActedOn;
  /** CamelCase, what happened: `CredentialRotated`. */
  readonly reason: string;
  /** CamelCase, what the run did: `Rotate`. */
  readonly action: string;
  readonly type: 'Normal' | 'Warning';
  /** At most 1 kB (the API server refuses longer). */
  readonly note: string;
  readonly eventTime: Date;
  /** Who wrote it: the host the command ran on. */
  readonly reportingInstance: string;
}

export interface AuditCluster {
  /** The user the API server authenticates this connection as. */
  whoAmI(): Promise<string>;
  recordEvent(event: AuditEvent): Promise<void>;
}

/** Writes that go out at once: a record at 1,000 namespaces must not take minutes, nor flood the API server. */
const EVENTS_IN_FLIGHT = 16;
const NOTE_LIMIT = 1024;

const REASONS: Record<AuditedOperation, { readonly action: string; readonly ok: string; readonly lagging: string }> = {
  rotate: { action: 'Rotate', ok: 'CredentialRotated', lagging: 'RotationLagging' },
  recover: { action: 'Recover', ok: 'Recovered', lagging: 'RecoveryLagging' },
  canary: { action: 'Canary', ok: 'CanaryArrived', lagging: 'CanaryLagging' },
};

export interface AuditInput {
  readonly operation: AuditedOperation;
  readonly cluster: AuditRecord['cluster'];
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly ok: boolean;
  readonly credential?: string;
  readonly summary: string;
  readonly actedOn: readonly ActedOn[];
  readonly result: unknown;
}

/** Who ran it, as the API server says; the kubeconfig's user name, marked unverified, where it cannot say. */
export async function actorOf(cluster: AuditCluster, kubeconfigUser: string): Promise<string> {
  try {
    return await cluster.whoAmI();
  } catch {
    return `${kubeconfigUser} (kubeconfig user; the API server did not say who it is)`;
  }
}

/**
 * Writes an Event on every object acted on and returns the record. An Event that cannot be written does not
 * fail the run (the rotation happened): it is counted, named in the record and returned for a warning.
 */
export async function recordAudit(cluster: AuditCluster, actor: string, input: AuditInput): Promise<AuditRecord> {
  const reasons = REASONS[input.operation];
  const what = input.credential ? ` credential ${input.credential}` : '';
  const full = `${input.operation}${what} by ${actor}: ${input.summary}`;
  const note = full.length > NOTE_LIMIT ? `${full.slice(0, NOTE_LIMIT - 1)}…` : full;
  const reportingInstance = hostname().slice(0, 128);
  const outcomes = await mapAtMost(input.actedOn, EVENTS_IN_FLIGHT, async (object) => {
    try {
      await cluster.recordEvent({
        regarding: object,
        reason: input.ok ? reasons.ok : reasons.lagging,
        action: reasons.action,
        type: input.ok ? 'Normal' : 'Warning',
        note,
        eventTime: input.finishedAt,
        reportingInstance,
      });
      return undefined;
    } catch (error) {
      return `${describe(object)}: ${(error as Error).message.split('\n')[0]}`;
    }
  });
  const failed = outcomes.filter((outcome): outcome is string => outcome !== undefined);
  const written = outcomes.length - failed.length;
  return {
    kind: AUDIT_RECORD_KIND,
    operation: input.operation,
    cluster: input.cluster,
    actor,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    ok: input.ok,
    ...(input.credential ? { credential: input.credential } : {}),
    summary: input.summary,
    actedOn: input.actedOn.map(describe).sort(),
    events: { written, failed: failed.sort() },
    result: input.result,
  };
}

const describe = (o: ActedOn) => `${o.namespace}/${o.kind} ${o.name}`;

const REPORT_FILE = {
  what: 'an audit record',
  suggestion: 'rotation.json',
  option: '--report',
  force: false,
  ours: (text: string) => text.includes(`"kind": "${AUDIT_RECORD_KIND}"`),
};

/** Refuses a `--report` path that cannot or may not take the record, before the run acts on anything. */
export function checkReportFile(path: string | undefined): void {
  if (path !== undefined) checkOutputFile(path, REPORT_FILE);
}

/**
 * A command's record of its run: the Events on what it acted on (a warning on stderr for each that could not be
 * written) and, with `--report`, the record as JSON.
 */
export async function auditRun(
  cluster: AuditCluster,
  config: KubeConfig,
  input: Omit<AuditInput, 'cluster'>,
  report: string | undefined,
): Promise<AuditRecord> {
  const actor = await actorOf(cluster, config.getCurrentUser()?.name ?? '(no user)');
  const record = await recordAudit(cluster, actor, {
    ...input,
    cluster: { context: config.getCurrentContext(), server: config.getCurrentCluster()?.server ?? '' },
  });
  for (const failure of record.events.failed) console.error(`warning: no audit Event on ${failure}`);
  if (report !== undefined) writeOutputFile(report, `${JSON.stringify(record, null, 2)}\n`, '--report');
  return record;
}
