/**
 * The construct library as app teams get it: `npm pack`ed, installed into a fresh project outside the
 * repository with nothing but cdk8s and constructs beside it, type-checked against its declarations, and run.
 * What it synthesizes must pass the ESO and Kubernetes schemas.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../plane';
import { schemaErrors } from '../support/schemas';
import { tempDir } from '../support/temp-dir';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE = join(__dirname, 'consumer');
let work: string;
let tarball: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
let consumer: string;

beforeAll(
  () => {
    work = tempDir('css-package-');
    [tarball] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', work, '-w', '@central-secret-store/constructs'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    consumer = join(work, 'consumer');
    execFileSync('mkdir', ['-p', consumer]);
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify(
        {
          name: 'consumer',
          private: true,
          dependencies: {
            '@central-secret-store/constructs': `file:${join(work, tarball.filename)}`,
            cdk8s: '^2.70.0',
            constructs: '^10.3.0',
          },
        },
        null,
        2,
      ),
    );
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const file of ['main.ts', 'tsconfig.json']) copyFileSync(join(EXAMPLE, file), join(consumer, file));
  },
  5 * 60 * 1000,
);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed construct library', () => {
  test('holds compiled JavaScript, declarations, docs, changelog and license, and nothing of the product around it', () => {
    const files = tarball.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'LICENSE',
        'README.md',
        'CHANGELOG.md',
        'API.md',
        'lib/index.js',
        'lib/index.d.ts',
        'lib/eso-api.js',
        'lib/eso-api.d.ts',
        'lib/vocabulary/index.js',
        'lib/vocabulary/index.d.ts',
      ]),
    );
    expect(files.filter((f) => !/^(lib\/.*\.(js|d\.ts)|package\.json|LICENSE|README\.md|CHANGELOG\.md|API\.md)$/.test(f))).toEqual([]);
    console.log(
      `package ${tarball.filename}: ${(tarball.size / 1024).toFixed(0)} KiB packed, ${(tarball.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${files.length} files`,
    );
  });

  test('installs with only cdk8s and constructs beside it: no Pulumi, no catalogue', () => {
    const installed = readdirSync(join(consumer, 'node_modules'));
    expect(installed).not.toContain('@pulumi');
    expect(installed).not.toContain('zod');
    expect(existsSync(join(consumer, 'node_modules', '@central-secret-store', 'constructs', 'lib', 'index.js'))).toBe(true);
    const manifest = JSON.parse(
      readFileSync(join(consumer, 'node_modules', '@central-secret-store', 'constructs', 'package.json'), 'utf8'),
    );
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['cdk8s', 'constructs']);
  });

  test('its vocabulary subpath loads without cdk8s or constructs, for code that only names what the constructs write', () => {
    const script = [
      "const vocabulary = require('@central-secret-store/constructs/vocabulary');",
      'const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\/](cdk8s|constructs)[\\/]/.test(f));',
      'console.log(JSON.stringify({ loaded, store: vocabulary.centralStoreName("ghcr-pull"), fits: vocabulary.formatFits("git", "dockerconfigjson") }));',
    ].join('\n');
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: consumer, encoding: 'utf8' }));
    expect(out).toEqual({ loaded: [], store: 'central-ghcr-pull', fits: false });
  });

  test('a consumer type-checks against its declarations, synthesizes, and its output passes the schemas', () => {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(consumer, 'tsconfig.json')], {
      cwd: consumer,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    execFileSync(process.execPath, ['main.js'], { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'] });
    const objects = parseAllDocuments(readFileSync(join(consumer, 'dist', 'registry-access.k8s.yaml'), 'utf8')).map(
      (d) => d.toJS() as KubeObject,
    );
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ClusterExternalSecret/ghcr-pull-dockerconfigjson',
      'ClusterExternalSecret/ghcr-pull-kargo',
      // The owner role the namespace's RoleBinding names, added by TenantNamespace since the app adds none.
      'ClusterRole/central-secret-store-tenant-owner',
      'ClusterSecretStore/central-ghcr-pull',
      'ExternalSecret/ghcr-pull',
      'Namespace/central-secret-store',
      'Namespace/checkout-web',
      'Role/central-secret-store-reader',
      'RoleBinding/central-secret-store-reader',
      'RoleBinding/tenant-owners',
      'ServiceAccount/central-secret-store-reader',
    ]);
    expect(objects.flatMap(schemaErrors)).toEqual([]);
    const pull: any = objects.find((o) => o.metadata.name === 'ghcr-pull-dockerconfigjson');
    expect(pull.spec.externalSecretSpec.target.template.type).toBe('kubernetes.io/dockerconfigjson');
  });
});
