/**
 * The audit record of an operational run: an Event on every object acted on, naming who ran what and how it
 * ended; failures to write one counted and named without failing the run; the record as a file that is never
 * written over a file the command did not write. Against a fake cluster; the e2e operations suite checks the
 * Events on a real API server.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import {
  AUDIT_RECORD_KIND,
  type AuditCluster,
  type AuditEvent,
  actorOf,
  auditRun,
  checkReportFile,
  recordAudit,
} from '../../cli/operations/audit';
import { tempDir } from '../support/temp-dir';

class FakeCluster implements AuditCluster {
  readonly events: AuditEvent[] = [];
  constructor(
    private readonly user: string | Error,
    private readonly refuse: (e: AuditEvent) => boolean = () => false,
  ) {}
  async whoAmI(): Promise<string> {
    if (this.user instanceof Error) throw this.user;
    return this.user;
  }
  async recordEvent(event: AuditEvent): Promise<void> {
    if (this.refuse(event))
      throw new Error(
        `events.events.k8s.io is forbidden: User cannot create resource "events" in the namespace "${event.regarding.namespace}"\nmore`,
      );
    this.events.push(event);
  }
}

const es = (namespace: string, name: string) => ({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', namespace, name });
const input = (over: Partial<Parameters<typeof recordAudit>[2]> = {}) => ({
  operation: 'rotate' as const,
  cluster: { context: 'aks-weu-prod', server: 'https://aks.example:443' },
  startedAt: new Date('2026-12-05T10:00:00.000Z'),
  finishedAt: new Date('2026-12-05T10:00:12.345Z'),
  ok: true,
  credential: 'registry',
  summary: 'registry: master re-read; 3/3 copies re-read',
  actedOn: [es('central-secret-store', 'registry'), ...Array.from({ length: 40 }, (_, i) => es(`team-${i}`, 'registry-dockerconfigjson'))],
  result: { copies: { confirmed: 3 } },
  ...over,
});

test('every object acted on gets one Event naming the operation, the credential, the operator and the outcome', async () => {
  const cluster = new FakeCluster('oidc:alice@example.com');
  const record = await recordAudit(cluster, 'oidc:alice@example.com', input());
  expect(cluster.events).toHaveLength(41);
  expect(new Set(cluster.events.map((e) => `${e.regarding.namespace}/${e.regarding.name}`)).size).toBe(41);
  for (const event of cluster.events) {
    expect(event).toMatchObject({
      reason: 'CredentialRotated',
      action: 'Rotate',
      type: 'Normal',
      eventTime: new Date('2026-12-05T10:00:12.345Z'),
    });
    expect(event.note).toBe('rotate credential registry by oidc:alice@example.com: registry: master re-read; 3/3 copies re-read');
  }
  expect(record).toMatchObject({
    kind: AUDIT_RECORD_KIND,
    actor: 'oidc:alice@example.com',
    ok: true,
    credential: 'registry',
    events: { written: 41, failed: [] },
    startedAt: '2026-12-05T10:00:00.000Z',
  });
  expect(record.actedOn[0]).toBe('central-secret-store/ExternalSecret registry');
});

test('a run that lags is recorded as a Warning with the lagging reason; recover and canary have reasons of their own', async () => {
  for (const [operation, reason] of [
    ['rotate', 'RotationLagging'],
    ['recover', 'RecoveryLagging'],
    ['canary', 'CanaryLagging'],
  ] as const) {
    const cluster = new FakeCluster('bob');
    await recordAudit(cluster, 'bob', input({ operation, ok: false, actedOn: [es('a', 'b')] }));
    expect(cluster.events.map((e) => [e.reason, e.type])).toEqual([[reason, 'Warning']]);
  }
});

test('an Event that cannot be written is counted and named, and the others are still written', async () => {
  const cluster = new FakeCluster('carol', (e) => e.regarding.namespace === 'team-7');
  const record = await recordAudit(cluster, 'carol', input());
  expect(record.events.written).toBe(40);
  expect(record.events.failed).toEqual([
    'team-7/ExternalSecret registry-dockerconfigjson: events.events.k8s.io is forbidden: User cannot create resource "events" in the namespace "team-7"',
  ]);
});

test('a note longer than the API server takes is cut to 1 kB', async () => {
  const cluster = new FakeCluster('dave');
  await recordAudit(cluster, 'dave', input({ summary: 'x'.repeat(2000), actedOn: [es('a', 'b')] }));
  expect(cluster.events[0].note).toHaveLength(1024);
  expect(cluster.events[0].note.endsWith('…')).toBe(true);
});

test('the operator is who the API server says; the kubeconfig user, marked unverified, when it cannot say', async () => {
  expect(await actorOf(new FakeCluster('system:serviceaccount:ci:deployer'), 'ci')).toBe('system:serviceaccount:ci:deployer');
  expect(await actorOf(new FakeCluster(new Error('404')), 'ci')).toBe('ci (kubeconfig user; the API server did not say who it is)');
});

describe('--report', () => {
  const config = () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://c.example' }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    return kc;
  };

  test('writes the record as JSON, with the context and the server, and replaces a record it wrote before', async () => {
    const file = join(tempDir('css-audit-'), 'rotation.json');
    // The command gives the run; auditRun adds the cluster from the kubeconfig.
    const run = ({ cluster: _, ...rest }: ReturnType<typeof input>) => rest;
    await auditRun(new FakeCluster('erin'), config(), run(input()), file);
    checkReportFile(file);
    await auditRun(new FakeCluster('erin'), config(), run(input({ credential: 'git' })), file);
    const record = JSON.parse(readFileSync(file, 'utf8'));
    expect(record).toMatchObject({
      kind: AUDIT_RECORD_KIND,
      credential: 'git',
      actor: 'erin',
      cluster: { context: 'ctx', server: 'https://c.example' },
    });
  });

  test('refuses a file it did not write, and a missing folder, before the run', () => {
    const dir = tempDir('css-audit-');
    writeFileSync(join(dir, 'notes.json'), '{"mine": true}');
    expect(() => checkReportFile(join(dir, 'notes.json'))).toThrow(
      `--report ${join(dir, 'notes.json')} exists and is not an audit record this command wrote`,
    );
    expect(() => checkReportFile(join(dir, 'missing', 'r.json'))).toThrow(
      `--report ${join(dir, 'missing', 'r.json')}: the folder ${join(dir, 'missing')} does not exist`,
    );
    expect(() => checkReportFile(undefined)).not.toThrow();
  });
});
