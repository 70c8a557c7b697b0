import {
  HCloudMachineConditions,
  HetznerBareMetalHostConditions,
  HetznerBareMetalMachineConditions,
  HetznerClusterConditions,
  type ConditionSpelling,
  type KindConditions,
} from '../../api/conditions/index.js';

/** Every condition type and reason of every kind, in both of CAPH's formats. */
export function conditionTypesAndReasons(): Set<string> {
  const kinds: readonly KindConditions[] = [
    HCloudMachineConditions,
    HetznerBareMetalHostConditions,
    HetznerBareMetalMachineConditions,
    HetznerClusterConditions,
  ];
  const spellings = kinds
    .flatMap((kind) => Object.values(kind))
    .flatMap((definition) => [definition.v1beta1, definition.v1beta2])
    .filter((spelling): spelling is ConditionSpelling => spelling !== undefined);
  return new Set(spellings.flatMap((spelling) => [spelling.type, ...Object.values(spelling.reasons)]));
}
