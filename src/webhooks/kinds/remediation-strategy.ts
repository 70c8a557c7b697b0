import { RemediationType } from '../../../api/v1beta1/remediation-strategy.js';
import { parseGoDuration } from '../../util/go-duration.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { field, isRecord } from '../object-fields.js';

const SUPPORTED_TYPES: readonly string[] = Object.values(RemediationType);

/**
 * A remediation strategy the controller can act on. CAPH admits anything its CRD types allow
 * and finds out later: a timeout its controller cannot parse, a type it only warns about, a
 * negative retry limit that silently means none. These are rejected when applied instead. The
 * CRD defaults (type Reboot, cooldown 30m) apply before this runs.
 */
export function validateRemediationStrategy(strategy: unknown, path: string): FieldError[] {
  if (!isRecord(strategy)) return [];
  const errors: FieldError[] = [];
  const type = field(strategy, 'type');
  if (type !== undefined && !(typeof type === 'string' && SUPPORTED_TYPES.includes(type)))
    errors.push(fieldError.notSupported(`${path}.type`, type, SUPPORTED_TYPES));
  const retryLimit = field(strategy, 'retryLimit');
  if (typeof retryLimit === 'number' && retryLimit < 0)
    errors.push(fieldError.invalid(`${path}.retryLimit`, retryLimit, 'must be 0 or more'));
  errors.push(...durationErrors(field(strategy, 'timeout'), `${path}.timeout`, 'positive'));
  errors.push(...durationErrors(field(strategy, 'cooldown'), `${path}.cooldown`, 'non-negative'));
  return errors;
}

function durationErrors(value: unknown, path: string, bound: 'positive' | 'non-negative'): FieldError[] {
  if (value === undefined) return [];
  const ms = typeof value === 'string' ? parseGoDuration(value) : undefined;
  const allowed = `a ${bound} duration such as "180s", "10m" or "1h30m"`;
  if (ms === undefined) return [fieldError.invalid(path, value, `must be ${allowed}`)];
  if (bound === 'positive' ? ms <= 0 : ms < 0) return [fieldError.invalid(path, value, `must be ${allowed}`)];
  return [];
}
