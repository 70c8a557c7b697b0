export * from './convert.js';
export * from './kinds.js';
export * from './status.js';
