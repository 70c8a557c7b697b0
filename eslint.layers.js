// @ts-check
// The layering of the parts (docs/adr/0007-import-layers.md) as lint rules (`no-restricted-imports`), so an import
// against it fails `npx eslint`. Each part lists what it may import; everything else of ours is
// refused.

const base = ['api', 'src/util'];
const cores = ['src/state-machine', 'src/image-url', 'src/provisioning', 'src/baremetal'];
const adapters = ['src/hetzner', 'src/rescue', 'src/oci', 'src/kube', 'src/webhooks'];

/**
 * What each part may import besides itself, bottom up. Among the cores, the engine comes first,
 * then the image-url protocol both machines share; the two machines never import each other.
 * @type {Record<string, readonly string[]>}
 */
export const mayImport = {
  api: [],
  'src/util': [],
  'src/ports': base,
  'src/state-machine': [...base, 'src/ports'],
  'src/image-url': [...base, 'src/ports', 'src/state-machine'],
  'src/provisioning': [...base, 'src/ports', 'src/state-machine', 'src/image-url'],
  'src/baremetal': [...base, 'src/ports', 'src/state-machine', 'src/image-url'],
  'src/hetzner': [...base, 'src/ports'],
  'src/rescue': [...base, 'src/ports'],
  'src/oci': [...base, 'src/ports'],
  'src/kube': base,
  'src/webhooks': base,
  'src/reconcilers': [...base, 'src/ports', ...cores, 'src/kube'],
  'src/setup': [...base, 'src/ports', ...cores, ...adapters, 'src/reconcilers'],
  'src/cli': [...base, 'src/ports', ...cores, ...adapters, 'src/reconcilers', 'src/setup'],
  'src/demo': [...base, 'src/ports', ...cores, ...adapters, 'src/reconcilers', 'src/setup', 'sim'],
  sim: ['api'],
};

/** Every folder an import can land in, with `src` for any other folder of src/. */
const targets = [...Object.keys(mayImport), 'test', 'src'];

/** A relative import that climbs out (`../`) and enters `target` (`src/` optional from inside it). */
function enters(target) {
  const [top, name] = target.startsWith('src/') ? ['(?:src/)?', target.slice(4)] : ['', target];
  return `^(?:\\.\\./)+${top}${name}/`;
}

/** The refusals of one part; `extra` are what its tests, or a named exception, may import too. */
function restrictions(part, extra = []) {
  const allowed = new Set([part, ...mayImport[part], ...extra]);
  // api/ and sim/ refuse all of src/ at once; inside src/, each part is refused by name.
  const inSrc = part.startsWith('src/');
  const refused = targets.filter(
    (target) => !allowed.has(target) && (inSrc ? target !== 'src' : !target.startsWith('src/')),
  );
  const may = mayImport[part].length === 0 ? 'nothing else of ours' : mayImport[part].join(', ');
  return [
    'error',
    {
      patterns: refused.map((target) => ({
        regex: enters(target),
        caseSensitive: true,
        message: `${part} must not import ${target === 'src' ? 'src/' : target}: it may import ${may} (docs/adr/0007-import-layers.md).`,
      })),
    },
  ];
}

/** Config blocks: one per part for its code, one for its tests (which may use sim/ and test/). */
export function layerBoundaries() {
  return [
    ...Object.keys(mayImport).flatMap((part) => [
      {
        files: [`${part}/**/*.ts`],
        ignores: ['**/*.test.ts'],
        rules: { 'no-restricted-imports': restrictions(part) },
      },
      {
        files: [`${part}/**/*.test.ts`],
        rules: { 'no-restricted-imports': restrictions(part, ['sim', 'test']) },
      },
    ]),
  ];
}
