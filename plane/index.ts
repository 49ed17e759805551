export * from './cluster-secret-plane';
export * from './credentials';
export * from './manifests';
