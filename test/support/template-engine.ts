/**
 * Renders templates with ESO's own template engine (v2, from ESO v0.20.4 built from the Go module proxy by
 * test/toolchain/build.sh), through one long-lived render-template process.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface RenderResult {
  readonly data?: Record<string, string>;
  readonly error?: string;
}

/** Builds the helper when this machine has not yet (minutes, once), and returns its path. */
export function renderTemplateBinary(): string {
  const dir = execFileSync('bash', [join(__dirname, '..', 'toolchain', 'build.sh'), 'render'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return join(dir, 'render-template');
}

export class TemplateEngine {
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  private stderr = '';

  constructor(binary: string = renderTemplateBinary()) {
    this.process = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr.on('data', (chunk) => (this.stderr += chunk));
    createInterface({ input: this.process.stdout }).on('line', (line) => this.waiting.shift()?.(line));
    this.process.on('exit', (code) => {
      for (const resolve of this.waiting.splice(0))
        resolve(JSON.stringify({ error: `render-template exited with ${code}: ${this.stderr}` }));
    });
  }

  /** Renders `template` (Secret key -> Go template) over `data` (master key -> value, UTF-8). */
  render(template: Record<string, string>, data: Record<string, string>): Promise<RenderResult> {
    const b64 = (m: Record<string, string>) =>
      Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
    return new Promise((resolve) => {
      this.waiting.push((line) => {
        const raw = JSON.parse(line) as { data?: Record<string, string>; error?: string };
        resolve({
          error: raw.error,
          data: raw.data && Object.fromEntries(Object.entries(raw.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])),
        });
      });
      this.process.stdin.write(`${JSON.stringify({ template: b64(template), data: b64(data) })}\n`);
    });
  }

  close(): void {
    this.process.stdin.end();
  }
}
