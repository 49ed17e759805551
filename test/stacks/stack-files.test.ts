import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SECRET_STACK_SETTING_KEYS, STACK_SETTING_KEYS } from '../../stacks/config';
import { loadCatalogue } from '../../tenants/lib';

const ROOT = join(__dirname, '..', '..');
// The repository's own catalogue on purpose: its stack files and workflows must follow it, whatever it says.
const clusters = loadCatalogue(join(ROOT, 'tenants')).clusters.map((c) => c.name).sort();

describe('stacks and workflows follow the catalogue', () => {
  test.each(clusters)('Pulumi.%s.yaml exists, holds known keys and no plaintext secret', (cluster) => {
    const file = join(ROOT, `Pulumi.${cluster}.yaml`);
    expect(existsSync(file)).toBe(true);
    const config: Record<string, unknown> = parse(readFileSync(file, 'utf8')).config;
    const known = new Set(STACK_SETTING_KEYS);
    for (const [key, value] of Object.entries(config)) {
      const [namespace, name] = key.split(':');
      if (namespace === 'central-secret-store') expect(known.has(name) || SECRET_STACK_SETTING_KEYS.includes(name)).toBe(true);
      if (SECRET_STACK_SETTING_KEYS.includes(name)) expect(value).toHaveProperty('secure');
    }
  });

  test.each(['pulumi-preview.yml', 'pulumi-up.yml'])('%s covers every cluster stack', (workflow) => {
    const jobs = parse(readFileSync(join(ROOT, '.github', 'workflows', workflow), 'utf8')).jobs;
    const job = jobs.preview ?? jobs.up;
    expect([...job.strategy.matrix.stack].sort()).toEqual(clusters);
    expect(job.steps.find((s: any) => s.uses?.startsWith('pulumi/actions')).with.policyPacks).toBe('stacks/policy');
  });

  test.each([
    ['pulumi-up.yml', 'up'],
    ['canary.yml', 'check'],
  ])('%s runs the canary check of every cluster stack', (workflow, jobName) => {
    const job = parse(readFileSync(join(ROOT, '.github', 'workflows', workflow), 'utf8')).jobs[jobName];
    expect([...job.strategy.matrix.stack].sort()).toEqual(clusters);
    const steps: any[] = job.steps;
    const check = steps.findIndex((s) => s.uses === './.github/actions/canary-check');
    expect(steps[check]?.with).toEqual({ cluster: '${{ matrix.stack }}', stack: '${{ env.STACK }}', pushgateway: '${{ vars.PUSHGATEWAY_URL }}' });
    // After the Pulumi CLI is there (and, on deployment, after the up).
    expect(steps.findIndex((s) => s.uses?.startsWith('pulumi/actions'))).toBeLessThan(check);
  });
});
