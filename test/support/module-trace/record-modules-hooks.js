// Module customization hooks of record-modules.js: every load, whichever loader (tsx or Node's
// own) later produces the source, passes here first.
import { appendFileSync } from 'node:fs';

let file = '';

/** @param {{ file: string }} data */
export function initialize(data) {
  file = data.file;
}

/**
 * @param {string} url
 * @param {unknown} context
 * @param {(url: string, context: unknown) => Promise<unknown>} nextLoad
 */
export function load(url, context, nextLoad) {
  appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}
