/**
 * One stack of a fleet run (cli/deploy/fleet.ts), in a process of its own: selects the stack in the project folder,
 * runs the program module inline and reports steps and the result to the parent over IPC. The engine's output
 * goes to this process's stdout, which the parent points at the stack's log file.
 */
import { type EngineEvent, LocalWorkspace, type PulumiFn, Stack } from '@pulumi/pulumi/automation';
import { errorSummary, type FleetJob, type WorkerMessage } from './fleet';

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

/** The first error the engine reported against a resource: what failed, with the provider's reasons. */
let firstResourceError: string | undefined;

async function run(job: FleetJob): Promise<Readonly<Record<string, number>>> {
  const module = await import(job.program);
  const program: PulumiFn = module.default?.default ?? module.default;
  if (typeof program !== 'function') throw new Error(`${job.program} has no default export to run as the program`);
  const stack = await Stack.select(job.stack, await LocalWorkspace.create({ workDir: job.workDir, program }));
  const onEvent = (event: EngineEvent) => {
    const pre = event.resourcePreEvent?.metadata;
    if (pre) void send({ type: 'step', op: pre.op, urn: pre.urn });
    const out = event.resOutputsEvent?.metadata;
    if (out) void send({ type: 'done', urn: out.urn });
    const diagnostic = event.diagnosticEvent;
    if (diagnostic?.severity === 'error' && diagnostic.urn && firstResourceError === undefined) {
      firstResourceError = errorSummary(`${diagnostic.urn.split('::').pop()}: error: ${diagnostic.message}`);
    }
  };
  const onOutput = (text: string) => process.stdout.write(text);
  const policyPacks = [...job.policyPacks];
  if (job.operation === 'preview') return (await stack.preview({ onEvent, onOutput, policyPacks, diff: true })).changeSummary;
  return (await stack.up({ onEvent, onOutput, policyPacks })).summary.resourceChanges ?? {};
}

process.once('message', (job: FleetJob) => {
  run(job)
    .then((changes) => send({ type: 'result', changes }))
    .catch(async (error: Error) => {
      console.error(error.stack ?? error.message);
      await send({ type: 'error', message: firstResourceError ?? errorSummary(error.message) });
      process.exitCode = 1;
    })
    .finally(() => process.disconnect());
});
