export * from './kinds.js';
export * from './status.js';

/** The version Cluster API's v1beta2 contract is served at. */
export const V1BETA2 = 'v1beta2';
