/** Where ESO runs and who it is, as installed by the stacks (Helm release) and trusted by the policies. */
export const ESO_NAMESPACE = 'external-secrets';
export const ESO_SERVICE_ACCOUNT = 'external-secrets';
/** The username the API server sees for ESO's requests. */
export const ESO_CONTROLLER_USERNAME = `system:serviceaccount:${ESO_NAMESPACE}:${ESO_SERVICE_ACCOUNT}`;
