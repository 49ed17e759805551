/**
 * A secret pasted where a name belongs (a Key Vault secret name, a Vault path, a credential request) is
 * refused, and no error repeats it: errors about values that look like secrets say which field, its length,
 * and why it looks like a value. One rule (secret-like.ts), used by every message that quotes what an author
 * wrote.
 */
import fc from 'fast-check';
import { loadCatalogue, quoted, secretLikeReason } from '../../tenants/lib';
import { type FixtureCatalogue, vaultFixtureError, FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';

const HEX_KEY = '9f86d081884c7d659a2feaa0c55ad015';
const TOKEN = 'Xk9pL2mQ7rT4vW8yZ1bC3dF6hJ0nR5sU';
const VAULT_TOKEN = 'hvs.CAESIJlWZ3dGdFJvcHRpb25zS2V5MTIzNDU2Nzg';
const AWS_SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const alphaNs = (f: FixtureCatalogue) => (f.teams.alpha.clusters as any).c1.namespaces[0];
const alphaLab = (f: FixtureCatalogue) => (f.teams.alpha.clusters as any).v1.namespaces[0].secrets[0];

describe('a secret where a name belongs is refused without being repeated', () => {
  test("a 32-hex key as a tenant's Key Vault secret name", () => {
    const { text, issues } = vaultFixtureError((f) => (alphaNs(f).secrets[0].keyVault = { password: HEX_KEY }));
    expect(issues).toEqual([
      'clusters.c1.namespaces[0].secrets[0].keyVault.password: looks like a secret value, not a name (32 characters: 32 hexadecimal digits in a row, like a key or hash); put the value in the vault and name it here',
    ]);
    expect(text).not.toContain(HEX_KEY);
  });

  test("a random token as a shared credential's Key Vault secret name", () => {
    const { text, issues } = vaultFixtureError((f) => ((f.credentials.credentials[0].keyVault as any).password = TOKEN));
    expect(issues).toEqual([
      expect.stringMatching(
        /^credentials\[0\]\.keyVault\.password: looks like a secret value, not a name \(32 characters: random-looking letters and digits/,
      ),
    ]);
    expect(text).not.toContain(TOKEN);
  });

  test('a Vault token as a Vault path', () => {
    const { text, issues } = vaultFixtureError((f) => (alphaLab(f).vault = { password: VAULT_TOKEN }));
    expect(issues).toEqual([
      expect.stringMatching(
        /^clusters\.v1\.namespaces\[0\]\.secrets\[0\]\.vault\.password: looks like a secret value, not a name \(43 characters: starts like a HashiCorp Vault token/,
      ),
    ]);
    expect(text).not.toContain(VAULT_TOKEN);
  });

  test('a key pasted as a credential request is not echoed in "unknown credential"', () => {
    const { text, issues } = vaultFixtureError((f) => (alphaNs(f).requests = [HEX_KEY]));
    expect(issues).toEqual([
      'clusters.c1.namespaces[0].requests[0]: unknown credential (a value of 32 characters, not shown: 32 hexadecimal digits in a row, like a key or hash) (known: registry)',
    ]);
    expect(text).not.toContain(HEX_KEY);
  });

  test("a secret as a map key is not echoed in the key's error", () => {
    const { text, issues } = vaultFixtureError((f) => (alphaNs(f).secrets[0].keyVault = { [AWS_SECRET_KEY]: 'alpha--x' }));
    expect(issues).toEqual([
      expect.stringMatching(
        /^clusters\.c1\.namespaces\[0\]\.secrets\[0\]\.keyVault\[\(a value of 40 characters, not shown: random-looking [^)]*\)\]: key \(a value of 40 characters, not shown: random-looking [^)]*\) must be a Secret data key/,
      ),
    ]);
    expect(text).not.toContain(AWS_SECRET_KEY);
  });

  test('ordinary names are quoted as they are, and the fixture catalogue has no name that looks like a secret', () => {
    expect(quoted('payments--postgres-password')).toBe('"payments--postgres-password"');
    expect(quoted('3f2b0c7e-1d2c-4b5a-9e8f-0a1b2c3d4e5f')).toBe('"3f2b0c7e-1d2c-4b5a-9e8f-0a1b2c3d4e5f"');
    expect(() => loadCatalogue(FIXTURE_CATALOGUE_DIR)).not.toThrow();
  });
});

describe('what looks like a secret (200 runs each)', () => {
  const RUNS = { numRuns: 200 };

  const BASE62 = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];
  const randomText = (min: number, max: number) =>
    fc.noBias(fc.array(fc.constantFrom(...BASE62), { minLength: min, maxLength: max })).map((chars) => chars.join(''));

  test('hexadecimal keys of 32 digits or more do, and are never shown', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), fc.boolean(), (bytes, upper) => {
        const key = Buffer.from(bytes).toString('hex');
        const written = upper ? key.toUpperCase() : key;
        expect(secretLikeReason(written)).toBe(`${written.length} hexadecimal digits in a row, like a key or hash`);
        expect(quoted(written)).not.toContain(written);
      }),
      RUNS,
    );
  });

  test('tokens of known kinds do, whatever their random part', () => {
    const prefixes = ['ghp_', 'gho_', 'ghs_', 'github_pat_', 'glpat-', 'xoxb-', 'hvs.', 'sk_live_'];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), randomText(24, 60), (prefix, body) => {
        const token = `${prefix}${body}`;
        expect(secretLikeReason(token)).toMatch(/^starts like /);
        expect(quoted(token)).not.toContain(body);
      }),
      RUNS,
    );
  });

  test('random letters and digits of 32 to 64 characters almost always do (a heuristic: at least 98 % of 2,000)', () => {
    const samples = fc.sample(randomText(32, 64), { numRuns: 2000, seed: 42 }).filter((t) => /[A-Z]/.test(t) && /[a-z]/.test(t));
    const found = samples.filter((t) => secretLikeReason(t) !== undefined);
    expect(found.length / samples.length).toBeGreaterThanOrEqual(0.98);
    for (const token of found) expect(quoted(token)).not.toContain(token);
  });

  test('names made of words, with dashes and the odd number, do not', () => {
    const words = [
      'payments',
      'postgres',
      'password',
      'registry',
      'token',
      'ghcr',
      'pull',
      'Settlement',
      'Signing',
      'key',
      'model',
      'v2',
      '2024',
      'prod',
      'DB',
      'Contoso',
      'client',
      'Secret',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('-', '--', '/', ''),
        (parts, separator) => {
          const name = parts.join(separator);
          expect(secretLikeReason(name)).toBeUndefined();
          expect(quoted(name)).toBe(`"${name}"`);
        },
      ),
      RUNS,
    );
  });
});
