// Moved to sim/cluster-api so the demo renders the shipped templates the same way.
export { substitute, variablesIn, type VariableUse } from '../../sim/cluster-api/clusterctl-variables.js';
