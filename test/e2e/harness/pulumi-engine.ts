/**
 * The real Pulumi engine for suites and benchmarks: the CLI and the Kubernetes provider built by
 * test/toolchain/build.sh, driven through the Automation API with an inline program (the Node language host
 * is not needed: this process hosts the program), a file backend and a passphrase secrets provider in a
 * folder of the run. Nothing goes to ~/.pulumi: PULUMI_HOME is the run's too.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type EngineEvent, LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from '@pulumi/pulumi/automation';

export interface PulumiTools {
  /** Folder of the `pulumi` CLI (the `pulumi` toolchain target). */
  readonly pulumi: string;
  /** Folder of `pulumi-resource-kubernetes` (the `pulumi-kubernetes` toolchain target). */
  readonly kubernetesProvider: string;
}

/** The passphrase of the run's secrets provider: the state is the run's and is deleted with it. */
const PASSPHRASE = 'central-secret-store-e2e';

/** A resource step the engine reported: its operation and, for updates, the top-level keys that differ. */
export interface ResourceStep {
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  /** The inputs the engine compared (old and new), for a diff by key. */
  readonly oldInputs?: Record<string, unknown>;
  readonly newInputs?: Record<string, unknown>;
}

export class PulumiEngine {
  readonly stateDir: string;
  /** The project folder: Pulumi.yaml and each stack's Pulumi.<stack>.yaml. */
  readonly projectDir: string;
  /** What a process running the engine needs: `pulumi` and the plugins on PATH, the run's backend and home. */
  readonly env: Record<string, string>;
  private readonly root: string;

  constructor(
    readonly dir: string,
    tools: PulumiTools,
  ) {
    this.stateDir = join(dir, 'state');
    this.root = join(dir, 'cli');
    this.projectDir = join(dir, 'project');
    const bin = join(dir, 'bin');
    for (const d of [this.stateDir, join(this.root, 'bin'), bin, join(dir, 'home'), this.projectDir]) mkdirSync(d, { recursive: true });
    // Dynamic providers run in the project folder and load their npm packages from its node_modules, as they
    // do in a Pulumi project on disk.
    symlinkSync(join(dirname(require.resolve('@pulumi/pulumi/package.json')), '..', '..'), join(this.projectDir, 'node_modules'));
    // The Automation API runs `<root>/bin/pulumi`.
    symlinkSync(join(tools.pulumi, 'pulumi'), join(this.root, 'bin', 'pulumi'));
    // The engine starts dynamic providers (ManifestSet) as the plugin `pulumi-resource-pulumi-nodejs`, which the
    // CLI's release archive carries and a source build does not: it is node on @pulumi/pulumi's dynamic-provider.
    const dynamicProvider = join(dirname(require.resolve('@pulumi/pulumi/package.json')), 'cmd', 'dynamic-provider');
    writeFileSync(join(bin, 'pulumi-resource-pulumi-nodejs'), `#!/bin/sh\nexec "${process.execPath}" "${dynamicProvider}" "$@"\n`);
    chmodSync(join(bin, 'pulumi-resource-pulumi-nodejs'), 0o755);
    this.env = {
      PATH: [bin, tools.pulumi, tools.kubernetesProvider, dirname(process.execPath), process.env.PATH ?? ''].join(':'),
      PULUMI_HOME: join(dir, 'home'),
      PULUMI_BACKEND_URL: `file://${this.stateDir}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      // A missing plugin fails at once instead of being downloaded (there is no internet here).
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: 'true',
    };
  }

  /** Creates or selects a stack of the project `css-e2e` running the program in this process. */
  async stack(name: string, program: PulumiFn): Promise<Stack> {
    return LocalWorkspace.createOrSelectStack(
      { stackName: name, projectName: 'css-e2e', program },
      {
        workDir: this.projectDir,
        pulumiHome: this.env.PULUMI_HOME,
        envVars: this.env,
        pulumiCommand: await PulumiCommand.get({ root: this.root, skipVersionCheck: true }),
        projectSettings: { name: 'css-e2e', runtime: 'nodejs', backend: { url: this.env.PULUMI_BACKEND_URL } },
      },
    );
  }
}

/** Collects the resource steps of an operation from its engine events (pass `onEvent: steps.record`). */
export class StepLog {
  readonly steps: ResourceStep[] = [];
  readonly record = (event: EngineEvent): void => {
    const pre = event.resourcePreEvent?.metadata;
    if (!pre) return;
    this.steps.push({ op: pre.op, urn: pre.urn, type: pre.type, oldInputs: pre.old?.inputs, newInputs: pre.new?.inputs });
  };

  /** Steps that change something (not `same`, `read` or `refresh`, which only look). */
  changes(): ResourceStep[] {
    return this.steps.filter((s) => !['same', 'read', 'refresh'].includes(s.op));
  }
}
