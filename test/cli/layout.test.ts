/**
 * The command line by role (cli/): `commands/` parse arguments, call an operation or a review feature and print
 * (one file per command, none importing another); `operations/` act on a cluster; `review/` builds the access
 * plan and the access report; `deploy/` runs the fleet; `support/` is what several of them share. This reads the
 * imports of every file under cli/ with the TypeScript parser (import and export-from declarations, `import()`
 * and `require()` with a literal path; type-only imports count too) and fails when a role reaches into one it
 * must not.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const CLI = resolve(__dirname, '..', '..', 'cli');

type Role = 'main' | 'commands' | 'operations' | 'review' | 'deploy' | 'support';
const ROLES: readonly Role[] = ['commands', 'operations', 'review', 'deploy', 'support'];

/** What each role may import of cli/, besides files of its own role (except commands, whose files stand alone). */
const MAY_IMPORT: Readonly<Record<Role, readonly Role[]>> = {
  main: ['commands', 'support'],
  commands: ['operations', 'review', 'deploy', 'support'],
  operations: ['support'],
  review: ['support'],
  deploy: ['support'],
  support: [],
};

/** Imports across roles that MAY_IMPORT forbids and that are needed all the same, each with why. */
const EXCEPTIONS: readonly { readonly from: string; readonly to: string; readonly why: string }[] = [
  {
    from: 'support/deadline.ts',
    to: 'operations/rotation.ts',
    why: 'laggingLines prints the Lag that rotation, recovery and the canary check report (a type only)',
  },
];

/** The commands main.ts adds, each a file of cli/commands. */
const KNOWN_COMMANDS = ['canary', 'fleet', 'init', 'plan', 'recover', 'release-finalizers', 'report', 'rotate', 'schema', 'synth'];

interface Import {
  /** Both relative to cli/, with `/`. */
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

const toPosix = (path: string) => path.split(sep).join('/');

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return filesUnder(path);
      return /\.(ts|js)$/.test(name) ? [path] : [];
    });
}

/** Every module specifier the file names literally, with whether the import is of types only. */
function specifiersOf(file: string): { readonly specifier: string; readonly typeOnly: boolean }[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS,
  );
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.importClause?.isTypeOnly ?? false });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require'))
        found.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The file a relative specifier names: as written, or with .ts, .js or /index.ts. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')].find((path) => existsSync(path) && statSync(path).isFile());
}

/** The imports of one cli/ file that stay inside cli/. Throws for a relative import that names no file. */
function importsOf(file: string): Import[] {
  return specifiersOf(file)
    .filter(({ specifier }) => specifier.startsWith('./') || specifier.startsWith('../'))
    .flatMap(({ specifier, typeOnly }) => {
      const target = resolveSpecifier(file, specifier);
      if (target === undefined) throw new Error(`${relative(CLI, file)} imports ${specifier}, which names no file`);
      const to = toPosix(relative(CLI, target));
      return to.startsWith('../') ? [] : [{ from: toPosix(relative(CLI, file)), to, typeOnly }];
    });
}

/** The role of a file, by its path relative to cli/; undefined for a file that is in none. */
function roleOf(path: string): Role | undefined {
  if (path === 'main.ts' || path === 'bin.js') return 'main';
  const folder = path.split('/')[0];
  return path.includes('/') && (ROLES as readonly string[]).includes(folder) ? (folder as Role) : undefined;
}

/** Why each import breaks the layout, one line each. */
function violations(imports: readonly Import[]): string[] {
  return imports.flatMap(({ from, to }) => {
    const fromRole = roleOf(from);
    const toRole = roleOf(to);
    if (fromRole === undefined || toRole === undefined)
      return [`${from} -> ${to}: a file outside the role folders (${ROLES.join(', ')}) and main.ts, bin.js`];
    if (EXCEPTIONS.some((e) => e.from === from && e.to === to)) return [];
    if (fromRole === 'commands' && toRole === 'commands')
      return [`${from} -> ${to}: a command imports another command; move what they share to a role folder`];
    if (fromRole === toRole) return [];
    if (!MAY_IMPORT[fromRole].includes(toRole))
      return [`${from} -> ${to}: ${fromRole} may import only ${MAY_IMPORT[fromRole].join(', ') || 'its own role'}`];
    return [];
  });
}

const files = filesUnder(CLI);
const imports = files.flatMap(importsOf);

describe('cli/ by role', () => {
  test('every file is in a role folder, or is main.ts or bin.js', () => {
    const paths = files.map((f) => toPosix(relative(CLI, f)));
    expect(paths.filter((p) => roleOf(p) === undefined)).toEqual([]);
    for (const role of ROLES) expect(paths.some((p) => roleOf(p) === role)).toBe(true);
  });

  test('cli/commands holds exactly the commands main.ts adds, one file each', () => {
    const commands = files.map((f) => toPosix(relative(CLI, f))).filter((p) => roleOf(p) === 'commands');
    expect(commands).toEqual(KNOWN_COMMANDS.map((c) => `commands/${c}.ts`));
    const fromMain = imports.filter((i) => i.from === 'main.ts' && roleOf(i.to) === 'commands').map((i) => i.to);
    expect([...fromMain].sort()).toEqual(commands);
  });

  test('the imports were read: every command imports something of another role, and bin.js requires main.ts', () => {
    for (const command of KNOWN_COMMANDS)
      expect(imports.some((i) => i.from === `commands/${command}.ts` && roleOf(i.to) !== 'commands')).toBe(true);
    expect(imports).toContainEqual({ from: 'bin.js', to: 'main.ts', typeOnly: false });
  });

  test('no command imports another; operations, review, deploy and support import no command; operations and review import each other not', () => {
    expect(violations(imports)).toEqual([]);
  });

  test('every exception is still needed, and is of types only', () => {
    for (const exception of EXCEPTIONS) {
      const used = imports.filter((i) => i.from === exception.from && i.to === exception.to);
      expect(used.length).toBeGreaterThan(0);
      expect(used.every((i) => i.typeOnly)).toBe(true);
    }
  });

  test('the check fails on each forbidden kind of import', () => {
    const forbidden: Import[] = [
      { from: 'commands/canary.ts', to: 'commands/rotate.ts', typeOnly: false },
      { from: 'operations/recovery.ts', to: 'commands/recover.ts', typeOnly: true },
      { from: 'review/access-plan.ts', to: 'commands/plan.ts', typeOnly: false },
      { from: 'operations/rotation.ts', to: 'review/access-plan.ts', typeOnly: false },
      { from: 'review/report-data.ts', to: 'operations/kube.ts', typeOnly: true },
      { from: 'deploy/fleet.ts', to: 'operations/kube.ts', typeOnly: false },
      { from: 'support/options.ts', to: 'commands/synth.ts', typeOnly: false },
      { from: 'commands/plan.ts', to: 'main.ts', typeOnly: false },
      { from: 'commands/plan.ts', to: 'plan-helpers.ts', typeOnly: false },
    ];
    expect(forbidden.map((i) => violations([i]))).toEqual(forbidden.map(() => [expect.any(String)]));
    expect(violations([{ from: 'commands/plan.ts', to: 'review/access-plan.ts', typeOnly: false }])).toEqual([]);
  });
});
