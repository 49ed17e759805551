import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { ClusterManifests, KubeObject } from '../constructs';

/** File names inside dist/<cluster>/, in the order they are applied. */
export const MANIFEST_FILES = { clusterScoped: '00-cluster-scoped.yaml', namespaced: '10-namespaced.yaml' } as const;

export function toYaml(objects: readonly KubeObject[]): string {
  // lineWidth 0: never fold long template strings, so the bytes do not depend on line-wrapping heuristics.
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/**
 * Writes every cluster's manifests to <outDir>/<cluster>/. The whole tree is written to a sibling folder
 * first and swapped in at the end, so a failure leaves the previous output untouched and a removed cluster
 * leaves no stale folder behind.
 */
export function writeManifests(outDir: string, clusters: readonly ClusterManifests[]): string[] {
  const target = resolve(outDir);
  const staging = `${target}.tmp-${process.pid}`;
  const previous = `${target}.old-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const written: string[] = [];
  try {
    for (const m of clusters) {
      const dir = join(staging, m.cluster);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, MANIFEST_FILES.clusterScoped), toYaml(m.clusterScoped));
      writeFileSync(join(dir, MANIFEST_FILES.namespaced), toYaml(m.namespaced));
      written.push(join(target, m.cluster));
    }
    mkdirSync(dirname(target), { recursive: true });
    rmSync(previous, { recursive: true, force: true });
    try {
      renameSync(target, previous);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    renameSync(staging, target);
    rmSync(previous, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return written;
}
