/**
 * How a suite on the real node ends, also when a test failed: the cluster and the suite's own servers stopped
 * by PID, its figures printed, and the host checked to be as it was before the suite (mounts, cgroups,
 * sysctls, folders; host.ts).
 */
import { type HostSnapshot, hostSnapshot } from './host';
import type { NodeCluster } from './node-cluster';

export async function endNodeSuite(
  title: string,
  figures: readonly string[],
  state: { readonly cluster?: NodeCluster; readonly before?: HostSnapshot; readonly servers?: readonly ({ stop(): Promise<void> } | undefined)[] },
): Promise<void> {
  const problems = (await state.cluster?.stop()) ?? [];
  for (const server of state.servers ?? []) await server?.stop();
  console.log(`${title} figures:\n  ${figures.join('\n  ')}`);
  expect(problems).toEqual([]);
  if (state.before) expect(hostSnapshot()).toEqual(state.before);
}
