/**
 * The product's vocabulary: the names, labels, defaults and rules that the constructs apply and the catalogue
 * checks, each defined once. Pure data and functions (no cdk8s, no constructs; a test reads the imports), so
 * that the catalogue, the command line and the stacks share it without depending on cdk8s. Published as
 * `@central-secret-store/constructs/vocabulary`.
 */
export * from './duration';
export * from './eso';
export * from './formats';
export * from './identities';
export * from './kubernetes-names';
export * from './labels';
export * from './object-names';
export * from './plain-text';
export * from './refresh-intervals';
export * from './secret-data-key';
