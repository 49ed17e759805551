/**
 * Building blocks for ESO template engine v2 (Go text/template with sprig). Every value a template reads is
 * looked up with `index`, which works for any key (`tls.crt`, `api-key`), and every literal goes through a
 * quoted Go string, so no name or URL can open a template action.
 */

/** What a format writes into each namespace. */
export interface RenderedFormat {
  /** Kubernetes Secret type, e.g. `kubernetes.io/dockerconfigjson`. */
  readonly secretType: string;
  /** Labels the consumer looks for (Argo CD, Kargo), on top of the common distributed-secret labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Secret key -> Go template over the master Secret's keys. */
  readonly data: Readonly<Record<string, string>>;
}

/** A Go template expression reading one key of the master Secret. */
export function key(name: string): string {
  return `(index . ${goString(name)})`;
}

/** A template that outputs one key of the master Secret unchanged. */
export function copyOf(name: string): string {
  return `{{ ${key(name)} }}`;
}

/** A template that outputs a fixed string. */
export function literal(value: string): string {
  return `{{ ${goString(value)} }}`;
}

/** A Go interpreted string literal. JSON string syntax is a subset Go accepts. */
export function goString(value: string): string {
  return JSON.stringify(value);
}
