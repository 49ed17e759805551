import type { Credential, Format } from '../../tenants/lib';
import { type RenderedFormat, goString, key } from './template';

/**
 * `kubernetes.io/dockerconfigjson` for every registry of the credential (seed 001):
 * `auths.<registry>.{username,password,auth}`, where auth is base64 of `username:password`.
 * The document is built with `dict` and `toJson`, so a quote or backslash in a value cannot break the JSON.
 */
export function dockerConfigJson(credential: Credential, _format: Extract<Format, { type: 'dockerconfigjson' }>): RenderedFormat {
  if (credential.kind !== 'docker-registry') throw new Error(`dockerconfigjson needs a docker-registry credential, got ${credential.kind}`);
  const auth = `dict "username" ${key('username')} "password" ${key('password')} "auth" (printf "%s:%s" ${key('username')} ${key('password')} | b64enc)`;
  const registries = credential.registries.map((r) => `${goString(r)} $auth`).join(' ');
  return {
    secretType: 'kubernetes.io/dockerconfigjson',
    labels: {},
    data: { '.dockerconfigjson': `{{- $auth := ${auth} -}}{{ dict "auths" (dict ${registries}) | toJson }}` },
  };
}
