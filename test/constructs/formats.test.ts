/**
 * Every credential format rendered by ESO's own template engine, over random credential values that include
 * quotes, backslashes, newlines, template delimiters and non-ASCII text: each result must parse and carry
 * every required field with exactly the stored value.
 */
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import {
  DockerRegistryCredential,
  GenericCredential,
  GitCredential,
  GitLogin,
  KeyVaultStore,
  OAuthClientCredential,
  type SecretFormat,
  TlsCredential,
  TlsStorage,
  ownSecretSpec,
} from '../../constructs/src';
import { TemplateEngine } from '../support/template-engine';

const RUNS = { numRuns: 100 };
const tricky = fc.constantFrom(
  '"',
  '\\',
  '\n',
  '\r\n',
  '\t',
  '{{',
  '}}',
  ':',
  '/',
  "'",
  '$',
  '%s',
  'é',
  '中文',
  '🔑',
  ' ',
  '\u0000',
  '<',
  '&',
);
/** A credential value: ordinary text, or text made of the characters that break naive templating. */
const value = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({ unit: tricky, minLength: 1, maxLength: 20 }),
);

let engine: TemplateEngine;
beforeAll(
  () => {
    engine = new TemplateEngine();
  },
  20 * 60 * 1000,
);
afterAll(() => engine?.close());

async function render(format: SecretFormat, master: Record<string, string>) {
  const result = await engine.render(format.data as Record<string, string>, master);
  if (result.error) throw new Error(`render failed: ${result.error}`);
  return { ...format, out: result.data! };
}

const registry = (registries: string[]) => new DockerRegistryCredential({ name: 'reg', registries });
const git = (ssh: boolean) =>
  new GitCredential({ name: 'git', url: 'https://git.example/o "quoted" {{x}}', login: ssh ? GitLogin.SSH_KEY : GitLogin.PASSWORD });

describe('formats rendered by ESO template engine v2', () => {
  test('dockerconfigjson parses, and auth decodes to username:password, for every registry', async () => {
    await fc.assert(
      fc.asyncProperty(
        value,
        value,
        fc.uniqueArray(fc.constantFrom('ghcr.io', 'docker.io', 'x.azurecr.io'), { minLength: 1, maxLength: 3 }),
        async (username, password, registries) => {
          const { out, secretType } = await render(registry(registries).dockerConfigJson(), { username, password });
          expect(secretType).toBe('kubernetes.io/dockerconfigjson');
          const config = JSON.parse(out['.dockerconfigjson']);
          expect(Object.keys(config.auths).sort()).toEqual([...registries].sort());
          for (const r of registries) {
            expect(config.auths[r].username).toBe(username);
            expect(config.auths[r].password).toBe(password);
            expect(Buffer.from(config.auths[r].auth, 'base64').toString('utf8')).toBe(`${username}:${password}`);
          }
        },
      ),
      RUNS,
    );
  });

  test('basic-auth and ssh-auth carry the values unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(value, value, async (username, password) => {
        const basic = await render(git(false).basicAuth(), { username, password });
        expect(basic.secretType).toBe('kubernetes.io/basic-auth');
        expect(basic.out).toEqual({ username, password });
        const ssh = await render(git(true).sshAuth(), { sshPrivateKey: password });
        expect(ssh.secretType).toBe('kubernetes.io/ssh-auth');
        expect(ssh.out).toEqual({ 'ssh-privatekey': password });
      }),
      RUNS,
    );
  });

  test('oauth carries client id, secret and the URLs', async () => {
    const credential = new OAuthClientCredential({
      name: 'o',
      issuerUrl: 'https://login.example/t/v2.0',
      tokenUrl: 'https://login.example/t/oauth2/v2.0/token?x="1"',
    });
    await fc.assert(
      fc.asyncProperty(value, value, async (clientId, clientSecret) => {
        const { out } = await render(credential.oauth(), { clientId, clientSecret });
        expect(out).toEqual({
          'client-id': clientId,
          'client-secret': clientSecret,
          'issuer-url': credential.issuerUrl,
          'token-url': credential.tokenUrl,
        });
      }),
      RUNS,
    );
  });

  test('argocd and kargo Secrets carry url and login, with the consumer labels', async () => {
    await fc.assert(
      fc.asyncProperty(value, value, fc.boolean(), async (username, password, ssh) => {
        const login: Record<string, string> = ssh ? { sshPrivateKey: password } : { username, password };
        const master = login;
        const argo = await render(git(ssh).argoCd({ secretType: 'repo-creds' }), master);
        expect(argo.labels).toEqual({ 'argocd.argoproj.io/secret-type': 'repo-creds' });
        expect(argo.out).toEqual({ type: 'git', url: 'https://git.example/o "quoted" {{x}}', ...login });
        const kargo = await render(git(ssh).kargo(), master);
        expect(kargo.labels).toEqual({ 'kargo.akuity.io/cred-type': 'git' });
        expect(kargo.out).toEqual({ repoURL: 'https://git.example/o "quoted" {{x}}', ...login });
        const oci = await render(registry(['ghcr.io']).argoCd({ url: 'ghcr.io/o/charts' }), { username, password });
        expect(oci.out).toEqual({ type: 'helm', url: 'ghcr.io/o/charts', enableOCI: 'true', username, password });
      }),
      RUNS,
    );
  });

  test('opaque and mapping copy exactly the keys they name', async () => {
    const credential = new GenericCredential({ name: 'g', keys: ['api-key', 'app.key'] });
    await fc.assert(
      fc.asyncProperty(value, value, async (a, b) => {
        expect((await render(credential.opaque(), { 'api-key': a, 'app.key': b })).out).toEqual({ 'api-key': a, 'app.key': b });
        const mapped = await render(credential.keyMapping({ keys: [{ from: 'app.key', to: 'APP_KEY' }] }), { 'api-key': a, 'app.key': b });
        expect(mapped.out).toEqual({ APP_KEY: b });
      }),
      RUNS,
    );
  });

  test('a raw secret in JSON form is one JSON document holding every key', async () => {
    const template = ownSecretSpec(
      'OperatorSecret',
      { tenant: 't', name: 'r', vaultSecrets: { 'b.key': 't--b', a: 't--a' }, store: KeyVaultStore.fromStoreName('tenant-t') },
      { kind: 'raw', secretType: 'Opaque', operator: 'vsecm', jsonKey: 'VSECM_SECRET' },
    ).target!.template!;
    await fc.assert(
      fc.asyncProperty(value, value, async (a, b) => {
        const result = await engine.render(template.data as Record<string, string>, { a, 'b.key': b });
        expect(result.error).toBeUndefined();
        expect(JSON.parse(result.data!.VSECM_SECRET)).toEqual({ a, 'b.key': b });
      }),
      RUNS,
    );
  });

  describe('tls', () => {
    const keys = [
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    ];
    /** A PEM CERTIFICATE block with a random body: filterPEM splits by block type and never parses the DER. */
    const certificate = fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => {
      const body = Buffer.from(bytes)
        .toString('base64')
        .replace(/.{1,64}/g, '$&\n');
      return `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`;
    });

    test('from two keys: tls.crt, tls.key and ca.crt are the stored PEM', async () => {
      const credential = new TlsCredential({ name: 'w', storage: TlsStorage.KEYS_WITH_CA });
      await fc.assert(
        fc.asyncProperty(certificate, fc.constantFrom(...keys), certificate, async (crt, key, ca) => {
          const { out, secretType } = await render(credential.tls(), { 'tls.crt': crt, 'tls.key': key, 'ca.crt': ca });
          expect(secretType).toBe('kubernetes.io/tls');
          expect(out).toEqual({ 'tls.crt': crt, 'tls.key': key, 'ca.crt': ca });
        }),
        RUNS,
      );
    });

    /** What editors, `az keyvault secret set --file` and `openssl pkcs12` leave around and between blocks. */
    const around = fc.oneof(
      fc.constantFrom(
        '',
        '\n',
        '\n\n',
        '  ',
        '\t\n',
        '\r\n',
        'Bag Attributes\n    localKeyID: 01 00 00 00\nsubject=/CN=edge.contoso.example\n',
      ),
      fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '\n', ':', '=', '/', 'é'), maxLength: 40 }),
    );

    test('from one PEM bundle: the chain and the key are split out, whatever the key encoding and the text around them', async () => {
      const credential = new TlsCredential({ name: 'b', storage: TlsStorage.PEM_BUNDLE });
      await fc.assert(
        fc.asyncProperty(
          fc.array(certificate, { minLength: 1, maxLength: 3 }),
          fc.constantFrom(...keys),
          fc.boolean(),
          fc.array(around, { minLength: 5, maxLength: 5 }),
          async (chain, key, keyFirst, [lead, afterKey, betweenCerts, trail, stripped]) => {
            // Blocks as they appear in real bundles: text before each, and the final newline sometimes gone.
            const certs = chain.map((c, i) => (i > 0 ? betweenCerts : '') + c).join('');
            const blocks = keyFirst ? key + afterKey + certs : certs + afterKey + key;
            const bundle = lead + (stripped === '' ? blocks.trimEnd() : blocks) + trail;
            const { out } = await render(credential.tls(), { bundle });
            expect(out).toEqual({ 'tls.crt': chain.join(''), 'tls.key': key });
          },
        ),
        RUNS,
      );
    });
  });

  test('the engine itself can fail: missingkey=error and syntax errors are reported', async () => {
    expect((await engine.render({ x: '{{ .missing }}' }, { present: 'v' })).error).toMatch(/map has no entry for key "missing"/);
    expect((await engine.render({ x: '{{ .present ' }, { present: 'v' })).error).toMatch(/unable to parse template/);
  });
});
