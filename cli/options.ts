/** The options every command that takes them spells and documents the same way. */
import { Option } from 'commander';
import { EXAMPLE_CATALOGUE_DIR } from '../tenants/lib';

export const catalogueOption = () => new Option('-c, --catalogue <dir>', 'catalogue folder (clusters.yaml, credentials.yaml, teams/)').default(EXAMPLE_CATALOGUE_DIR, 'the example catalogue');

export const kubeconfigOption = () => new Option('--kubeconfig <file>', 'kubeconfig: tokens, client certificates and exec plugins (kubelogin) all work').default(undefined, '$KUBECONFIG, else ~/.kube/config');

export const contextOption = () => new Option('--context <name>', 'kubeconfig context').default(undefined, 'its current context');

export const jsonOption = () => new Option('--json', 'print the result as JSON on stdout').default(false);

export const outOption = (what: string, value: string) => new Option('-o, --out <path>', what).default(value);
