import type { OutputJsonReading } from '../ports/rescue-system.js';

/**
 * `/root/output.json`, an optional progress/failure note a command may write (a CAPH
 * extension). Only a top-level string `message` is used. Anything else is tolerated: a
 * malformed or half-written file is reported as unreadable, never thrown, and the next poll
 * simply reads it again.
 */
export const outputJsonMaxBytes = 64 * 1024;
/** Condition messages are capped by the CRD schema at 32768 characters; stay well below. */
export const outputMessageMaxChars = 4096;

export function parseOutputJson(text: string): OutputJsonReading {
  const trimmed = text.trim();
  if (trimmed === '') return { status: 'unreadable', problem: 'output.json is empty' };
  if (!trimmed.endsWith('}')) return { status: 'unreadable', problem: 'output.json does not end with "}"' };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    return { status: 'unreadable', problem: `output.json is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { status: 'unreadable', problem: 'output.json is not a JSON object' };
  }
  const message = (value as Record<string, unknown>)['message'];
  return { status: 'message', message: typeof message === 'string' ? cleanMessage(message) : '' };
}

/** Strips control characters (newlines and tabs become spaces) and caps the length. */
export function cleanMessage(message: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const clean = message.replace(/[\t\n\r]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return clean.length <= outputMessageMaxChars ? clean : `${clean.slice(0, outputMessageMaxChars - 1)}…`;
}
