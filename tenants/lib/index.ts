export * from './catalogue';
export * from './define';
export * from './errors';
export * from './load';
export * from './names';
export * from './resolve';
export * from './schema';
export * from './validate';
