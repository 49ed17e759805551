import type * as pulumi from '@pulumi/pulumi';

/**
 * Options of a component's child that earlier releases declared, under the same name, directly under the
 * component's parent (up to 0.1, ClusterDeployment parented the vault, ESO's identity, the releases and the
 * secret plane itself). The alias moves the child in the state on the first `up` of this release instead of
 * deleting and re-creating it: for ESO's Helm release that would uninstall ESO and, with its CRDs, every
 * ExternalSecret. Children of the child follow it (Pulumi derives their aliases from their parent's).
 */
export function movedChild(component: pulumi.ComponentResource, opts: pulumi.ComponentResourceOptions | undefined): pulumi.ResourceOptions {
  return { parent: component, aliases: opts?.parent ? [{ parent: opts.parent }] : [] };
}
