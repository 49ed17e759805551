import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SECRET_STACK_SETTING_KEYS, STACK_SETTING_KEYS, stackSettingsTemplate } from '../../stacks/config';
import { loadCatalogue } from '../../tenants/lib';

const ROOT = join(__dirname, '..', '..');
// The repository's own catalogue on purpose: its stack files and workflows must follow it, whatever it says.
const clusters = loadCatalogue(join(ROOT, 'tenants'))
  .clusters.map((c) => c.name)
  .sort();

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

  const workflow = (file: string) => parse(readFileSync(join(ROOT, '.github', 'workflows', file), 'utf8'));
  /** The stacks pulumi-up.yml deploys, wave by wave (its jobs call pulumi-up-stacks.yml with a list each). */
  const upWaves = () => Object.values<any>(workflow('pulumi-up.yml').jobs).map((job) => JSON.parse(job.with.stacks) as string[]);
  const upJob = () => workflow('pulumi-up-stacks.yml').jobs.up;

  test('pulumi-preview.yml previews every cluster stack with the policy pack', () => {
    const job = workflow('pulumi-preview.yml').jobs.preview;
    expect([...job.strategy.matrix.stack].sort()).toEqual(clusters);
    expect(job.steps.find((s: any) => s.uses?.startsWith('pulumi/actions')).with).toMatchObject({
      policyPacks: 'stacks/policy',
      diff: true,
    });
  });

  test('pulumi-up.yml deploys every cluster stack once, staging first, then the others in parallel with the policy pack', () => {
    const waves = upWaves();
    expect(waves.flat().sort()).toEqual(clusters);
    expect(waves[0]).toEqual(['aks-weu-staging']);
    expect(workflow('pulumi-up.yml').jobs.production.needs).toBe('staging');
    expect(upJob().strategy).toEqual({ 'fail-fast': false, matrix: { stack: '${{ fromJSON(inputs.stacks) }}' } });
    expect(upJob().steps.find((s: any) => s.uses?.startsWith('pulumi/actions')).with.policyPacks).toBe('stacks/policy');
  });

  test.each([
    ['pulumi-up-stacks.yml', () => upJob(), () => upWaves().flat()],
    ['canary.yml', () => workflow('canary.yml').jobs.check, () => workflow('canary.yml').jobs.check.strategy.matrix.stack],
  ])('%s runs the canary check of every cluster stack', (_file, jobOf, stacksOf) => {
    const job = jobOf();
    expect([...stacksOf()].sort()).toEqual(clusters);
    const steps: any[] = job.steps;
    const check = steps.findIndex((s) => s.uses === './.github/actions/canary-check');
    expect(steps[check]?.with).toEqual({
      cluster: '${{ matrix.stack }}',
      stack: '${{ env.STACK }}',
      pushgateway: '${{ vars.PUSHGATEWAY_URL }}',
    });
    // After the Pulumi CLI is there (and, on deployment, after the up).
    expect(steps.findIndex((s) => s.uses?.startsWith('pulumi/actions'))).toBeLessThan(check);
  });
});

describe('Pulumi.yaml', () => {
  test('template.config lists every stack setting with its description, secrets marked (npm run pulumi:template writes it)', () => {
    const project = parse(readFileSync(join(ROOT, 'Pulumi.yaml'), 'utf8'));
    const template = stackSettingsTemplate();
    expect(project.template.config).toEqual(template);
    const keys = Object.keys(template)
      .filter((k) => k.startsWith('central-secret-store:'))
      .map((k) => k.split(':')[1]);
    expect(keys.sort()).toEqual([...STACK_SETTING_KEYS, ...SECRET_STACK_SETTING_KEYS].sort());
    expect(
      Object.entries(template)
        .filter(([, v]) => v.secret)
        .map(([k]) => k.split(':')[1])
        .sort(),
    ).toEqual([...SECRET_STACK_SETTING_KEYS].sort());
    expect(template['azure-native:location'].description).toMatch(/Key Vault environments/);
    // Typed declarations of the project's own keys would make each required on every stack.
    expect(Object.keys(project.config).filter((k) => k.startsWith('central-secret-store:') || !k.includes(':'))).toEqual([]);
  });
});

describe('workflows', () => {
  const files = [
    ...readdirSync(join(ROOT, '.github', 'workflows')).map((f) => join('.github', 'workflows', f)),
    ...readdirSync(join(ROOT, '.github', 'actions')).map((d) => join('.github', 'actions', d, 'action.yml')),
  ];

  test.each(files)('%s pins every action of another repository by commit, with its version beside it', (file) => {
    const uses = readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .map((line) => /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null && !m[1].startsWith('./'));
    for (const [, action, comment] of uses) {
      expect({ action, pinned: /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(action) }).toEqual({ action, pinned: true });
      expect({ action, comment: /^\s+# v\d/.test(comment) }).toEqual({ action, comment: true });
    }
  });

  test('the scheduled canary check stands down where the in-cluster check runs, and still runs by hand', () => {
    const job = parse(readFileSync(join(ROOT, '.github', 'workflows', 'canary.yml'), 'utf8')).jobs.check;
    expect(job.if).toBe("vars.IN_CLUSTER_CANARY != 'true' || github.event_name == 'workflow_dispatch'");
  });

  test("the pull request's access plan prints the catalogue's problems as annotations on their files and lines", () => {
    const steps: any[] = parse(readFileSync(join(ROOT, '.github', 'workflows', 'pulumi-preview.yml'), 'utf8')).jobs['access-plan'].steps;
    expect(steps.find((s) => s.id === 'plan').run).toMatch(/npm run -s plan -- .*--github/);
  });

  test("the pull request's test job restores the Go toolchain npm test builds, keyed by test/toolchain", () => {
    const steps: any[] = parse(readFileSync(join(ROOT, '.github', 'workflows', 'pulumi-preview.yml'), 'utf8')).jobs.test.steps;
    const cache = steps.find((s) => String(s.uses).startsWith('actions/cache@'));
    expect(cache.with.path).toContain('~/.cache/central-secret-store/toolchain');
    expect(cache.with.key).toContain("hashFiles('test/toolchain/**')");
    expect(steps.indexOf(cache)).toBeLessThan(steps.findIndex((s) => s.run === 'npm test'));
    expect(steps.find((s) => String(s.uses).startsWith('actions/setup-go@')).with.cache).toBe(false);
  });
});
