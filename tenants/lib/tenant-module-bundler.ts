/**
 * Runs in a child process started by tenant-modules.ts, before any tenant code runs: bundles each tenant
 * module, with everything it imports, into one CommonJS script, and the sandbox harness into another. The
 * sandbox cannot run tsx (esbuild transforms in a worker thread that starts a process, both denied there), so
 * TypeScript is compiled here, by esbuild, which reads files but runs none of them.
 *
 * What a module may import is decided here: files whose real path lies inside the catalogue folder or the
 * product's `tenants/lib` (for `defineTenant`), TypeScript, JavaScript or JSON, regular and under the size
 * limit; Node's built-ins stay `require` calls, judged by the sandbox at run time. Any other import fails the
 * module's bundle with the file and line of the import, so nothing outside is ever handed to tenant code.
 *
 *   node --require tsx/cjs tenant-module-bundler.ts < {"roots": [...], "files": [...], "harness": "..."}
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { extname } from 'node:path';
import { type Loader, type Message, type Plugin, build } from 'esbuild';
import { CATALOGUE_MODULE } from './define';
import { CATALOGUE_LIMITS } from './limits';
import { isInside } from './source-text';
import { allowedBuiltin, builtinRefusal } from './tenant-module-builtins';

export interface BundleRequest {
  /** Real paths of the folders a module may import from, the catalogue folder first. */
  readonly roots: readonly string[];
  /** Real path of the product's define module, which CATALOGUE_MODULE names. */
  readonly catalogueModule: string;
  readonly files: readonly string[];
  /** The sandbox harness's source file. */
  readonly harness: string;
}

export interface BundleResponse {
  readonly harness: string;
  readonly bundles: ({ readonly code: string; readonly error?: undefined } | { readonly code?: undefined; readonly error: string })[];
}

const LOADERS: Readonly<Record<string, Loader>> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
  '.json': 'json',
};

function confine(roots: readonly string[], catalogueModule: string): Plugin {
  return {
    name: 'confine-to-catalogue',
    setup(builder) {
      // The product's own define module, wherever the catalogue lies and whatever its node_modules hold: the
      // types a tenant is written against are always those of the product that checks it.
      builder.onResolve({ filter: new RegExp(`^${CATALOGUE_MODULE}$`) }, () => ({ path: catalogueModule }));
      builder.onResolve({ filter: /.*/ }, (args) => {
        if (!isBuiltin(args.path)) return undefined;
        if (allowedBuiltin(args.path)) return { path: args.path, external: true };
        return { errors: [{ text: builtinRefusal(args.path) }] };
      });
      builder.onLoad({ filter: /.*/ }, (args) => {
        const real = realpathSync(args.path);
        if (!roots.some((root) => isInside(root, real))) {
          return {
            errors: [
              { text: `imports ${real}: a tenant module may only import files inside the catalogue folder and the product's tenants/lib` },
            ],
          };
        }
        const stats = statSync(real);
        if (!stats.isFile()) return { errors: [{ text: `imports ${real}, which is not a regular file` }] };
        if (stats.size > CATALOGUE_LIMITS.fileBytes) return { errors: [{ text: `imports ${real}, which is over 1 MiB` }] };
        const loader = LOADERS[extname(real)];
        if (!loader)
          return { errors: [{ text: `imports ${real}: a tenant module may only import TypeScript, JavaScript and JSON files` }] };
        return { contents: readFileSync(real), loader };
      });
    },
  };
}

/** esbuild's errors, located relative to the catalogue folder (its working folder here). */
const describe = (errors: readonly Message[]) =>
  errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`).join('; ');

async function bundle(file: string, roots: readonly string[], catalogueModule: string): Promise<BundleResponse['bundles'][number]> {
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      absWorkingDir: roots[0],
      // No tsconfig.json lookup: the folders above the catalogue must not change how a module compiles.
      tsconfigRaw: {},
      plugins: [confine(roots, catalogueModule)],
    });
    return { code: result.outputFiles[0].text };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    return { error: `cannot load module: ${errors?.length ? describe(errors) : (error as Error).message}` };
  }
}

async function main(): Promise<void> {
  const request = JSON.parse(readFileSync(0, 'utf8')) as BundleRequest;
  const harness = await build({
    entryPoints: [request.harness],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  });
  const bundles = await Promise.all(request.files.map((file) => bundle(file, request.roots, request.catalogueModule)));
  const response: BundleResponse = { harness: harness.outputFiles[0].text, bundles };
  process.stdout.write(JSON.stringify(response));
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
