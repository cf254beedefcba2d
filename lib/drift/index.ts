export * from './baseline';
export * from './binning';
export * from './divergence';
export * from './random';
