/**
 * A certificate authority for the suite's own servers (git over HTTPS, TLS, OAuth2): EC P-256 keys made with
 * openssl in a folder of the test's, server certificates for 127.0.0.1 and localhost.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface IssuedCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly certPem: string;
}

export class TestCa {
  readonly certFile: string;
  readonly certPem: string;
  private readonly keyFile: string;
  private serial = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.certFile = join(dir, 'ca.crt');
    this.keyFile = join(dir, 'ca.key');
    this.openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      this.keyFile,
      '-out',
      this.certFile,
      '-days',
      '2',
      '-subj',
      '/CN=css-e2e-peers-ca',
    );
    this.certPem = readFileSync(this.certFile, 'utf8');
  }

  /** A new key and a server certificate for 127.0.0.1 and localhost, as `<name>.crt` and `<name>.key`. */
  issue(name: string): IssuedCertificate {
    const file = (ext: string) => join(this.dir, `${name}.${ext}`);
    writeFileSync(file('ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    this.openssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      file('key'),
      '-out',
      file('csr'),
      '-subj',
      `/CN=${name}`,
    );
    this.serial += 1;
    this.openssl(
      'x509',
      '-req',
      '-in',
      file('csr'),
      '-CA',
      this.certFile,
      '-CAkey',
      this.keyFile,
      '-set_serial',
      String(this.serial),
      '-out',
      file('crt'),
      '-days',
      '2',
      '-extfile',
      file('ext'),
    );
    return { certFile: file('crt'), keyFile: file('key'), certPem: readFileSync(file('crt'), 'utf8') };
  }

  private openssl(...args: string[]): void {
    execFileSync('openssl', args, { stdio: 'pipe' });
  }
}
