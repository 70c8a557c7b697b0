import { RescueError } from '../ports/rescue-errors.js';

/**
 * Validation and encoding of what the launcher receives on stdin. Every value travels as a
 * NUL-terminated field and the launcher assigns it to a variable with `read -d ''`, so no
 * value is ever parsed by a shell; the only characters a value cannot carry are NUL (which no
 * argv or environment string can hold) and, for devices, what `joinRootDevices` refuses.
 */
export const requestVersion = '1';

const attemptIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const stagingNamePattern = /^staged-[0-9a-f]{16}$/;
const shownValueLength = 60;

export interface StartRequest {
  readonly attemptId: string;
  /** The per-call upload folder below the launcher's base, `staged-<16 hex>`. */
  readonly stagingName: string;
  readonly imageUrl: string;
  readonly machineName: string;
  readonly rootDevices: readonly string[];
  readonly registryToken: string;
}

export function invalidInput(field: string, value: string | undefined, allowed: string): RescueError {
  const shown = value === undefined ? '' : ` ${JSON.stringify(truncate(value))}`;
  return new RescueError('RESCUE_INVALID_INPUT', `invalid ${field}${shown}: ${allowed}`);
}

export function checkAttemptId(attemptId: string): void {
  if (!attemptIdPattern.test(attemptId)) {
    throw invalidInput('attemptId', attemptId, 'must match [A-Za-z0-9][A-Za-z0-9._-]{0,62}');
  }
}

/** CAPH's device rule (non-empty, no `/`, no space), plus: at least one device, no other whitespace or NUL. */
export function joinRootDevices(devices: readonly string[]): string {
  if (devices.length === 0) throw invalidInput('rootDevices', undefined, 'at least one device is required');
  devices.forEach((device, index) => {
    if (device === '' || /[/\s\0]/.test(device)) {
      throw invalidInput(
        `rootDevices[${index}]`,
        device,
        'a device is a kernel name like "sda" or "nvme0n1": non-empty, without "/" or whitespace',
      );
    }
  });
  return devices.join(' ');
}

/** Checks every value before anything is copied; returns the stdin record for `start`. */
export function encodeStartRequest(request: StartRequest): Buffer {
  checkAttemptId(request.attemptId);
  if (!stagingNamePattern.test(request.stagingName)) {
    throw invalidInput('stagingName', request.stagingName, 'must match staged-<16 hex digits>');
  }
  const devices = joinRootDevices(request.rootDevices);
  nonEmptyWithoutNul('imageUrl', request.imageUrl);
  nonEmptyWithoutNul('machineName', request.machineName);
  if (request.registryToken.includes('\0')) {
    // The value is a secret: name the field, never show it.
    throw invalidInput('registryToken', undefined, 'must not contain NUL characters');
  }
  const fields = [
    requestVersion,
    request.attemptId,
    request.stagingName,
    request.imageUrl,
    request.machineName,
    devices,
    request.registryToken,
  ];
  return Buffer.concat(fields.map((field) => Buffer.from(`${field}\0`, 'utf8')));
}

/** The stdin record for `stop`: how long to wait after SIGTERM before SIGKILL. */
export function encodeStopRequest(attemptId: string, graceMs: number): Buffer {
  checkAttemptId(attemptId);
  if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > 600_000) {
    throw invalidInput('graceMs', String(graceMs), 'must be an integer from 0 to 600000');
  }
  return Buffer.from(`${requestVersion}\0${attemptId}\0${graceMs}\0`, 'utf8');
}

function nonEmptyWithoutNul(field: string, value: string): void {
  if (value === '') throw invalidInput(field, value, 'must not be empty');
  if (value.includes('\0')) throw invalidInput(field, value, 'must not contain NUL characters');
}

function truncate(value: string): string {
  return value.length <= shownValueLength ? value : `${value.slice(0, shownValueLength)}…`;
}
