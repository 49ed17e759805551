import { stringify } from 'yaml';
import type { ClusterManifests, KubeObject } from '../../plane';
import { type ReplaceResult, checkOutputFolder, replaceOutputFolder } from './output-folder';

/** File names inside dist/<cluster>/, in the order they are applied. */
export const MANIFEST_FILES = { clusterScoped: '00-cluster-scoped.yaml', namespaced: '10-namespaced.yaml' } as const;

export function toYaml(objects: readonly KubeObject[]): string {
  // lineWidth 0: never fold long template strings, so the bytes do not depend on line-wrapping heuristics.
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/**
 * Writes every cluster's manifests to <outDir>/<cluster>/, all at once, replacing only an earlier synth's
 * output (see output-folder.ts). A removed cluster leaves no stale folder behind.
 */
/** Throws the OutputFolderError writeManifests would throw for `outDir`, writing nothing. */
export function checkManifestsFolder(outDir: string): void {
  checkOutputFolder(outDir, { filesPerFolder: Object.values(MANIFEST_FILES) });
}

export function writeManifests(outDir: string, clusters: readonly ClusterManifests[]): ReplaceResult {
  const files = clusters.flatMap((m) => [
    { path: `${m.cluster}/${MANIFEST_FILES.clusterScoped}`, content: toYaml(m.clusterScoped) },
    { path: `${m.cluster}/${MANIFEST_FILES.namespaced}`, content: toYaml(m.namespaced) },
  ]);
  return replaceOutputFolder(outDir, files, 'central-secret-store synth', { filesPerFolder: Object.values(MANIFEST_FILES) });
}
