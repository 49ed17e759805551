/**
 * A Secret exactly as ESO writes it into a tenant namespace for one of the product's formats: the format's
 * type, consumer labels and keys, each value rendered by ESO's own template engine from the master's
 * values. The suite creates these directly when it tests consumers without running ESO.
 */
import type { SecretFormat } from '../../../constructs/src';
import type { KubeObject } from '../../support/kube-client';
import type { TemplateEngine } from '../../support/template-engine';

/**
 * @param master the master Secret's values, by master key (`username`, `sshPrivateKey`, `tls.crt`, ...)
 * @param name the Secret's name; @default the format's secretName
 */
export async function renderedSecret(
  engine: TemplateEngine,
  format: SecretFormat,
  master: Record<string, string>,
  namespace: string,
  name = format.secretName,
): Promise<KubeObject> {
  const missing = format.credential.masterKeys.filter((k) => !(k in master));
  if (missing.length > 0) throw new Error(`${format.id} of ${format.credential.name}: the master needs ${missing.join(', ')}`);
  const rendered = await engine.render(format.data as Record<string, string>, master);
  if (rendered.error) throw new Error(`${format.id} of ${format.credential.name}: ESO's template engine refused it: ${rendered.error}`);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { ...format.labels } },
    type: format.secretType,
    data: Object.fromEntries(Object.entries(rendered.data!).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
  };
}
