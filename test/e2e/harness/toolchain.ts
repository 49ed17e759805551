/**
 * The programs and images test/toolchain/build.sh builds once per machine into its cache, and what each
 * build recorded.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Target = 'kube' | 'eso' | 'render' | 'helm' | 'node' | 'images' | 'openbao' | 'vault' | 'pulumi' | 'pulumi-kubernetes';

/** Builds what is missing and returns the cache folder of each target. */
export function buildTargets<T extends Target>(...targets: T[]): Record<T, string> {
  const script = join(__dirname, '..', '..', 'toolchain', 'build.sh');
  const dirs = execFileSync('bash', [script, ...targets], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    .trim()
    .split('\n');
  return Object.fromEntries(targets.map((t, i) => [t, dirs[i]])) as Record<T, string>;
}

/** How long the build that filled a cache folder took, in seconds ('?' when it did not say). */
export function buildSeconds(dir: string): string {
  const file = join(dir, '.build-seconds');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '?';
}

/** The version a cache folder holds, as build.sh recorded it (without `v`). */
export function builtVersion(dir: string): string {
  return readFileSync(join(dir, '.version'), 'utf8').trim();
}

export interface OciImage {
  /** The OCI layout tarball. */
  readonly file: string;
  /** The reference it is imported under. */
  readonly ref: string;
}

/** The images of the `images` target, by file name without `.tar` (pause, testapp, external-secrets). */
export function builtImages(dir: string): Record<string, OciImage> {
  return Object.fromEntries(
    readFileSync(join(dir, 'images.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .map(([file, ref]) => [file.replace(/\.tar$/, ''), { file: join(dir, file), ref }]),
  );
}

/** An image's manifest digest (`sha256:<hex>`): what a reference by digest names. */
export function imageDigest(image: OciImage): string {
  return JSON.parse(execFileSync('tar', ['-xOf', image.file, 'index.json'], { encoding: 'utf8' })).manifests[0].digest;
}
