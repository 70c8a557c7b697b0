import { RescueError, type RescueErrorCode } from '../ports/rescue-errors.js';

/**
 * Turns what ssh2 and the socket report into RescueErrors with stable codes, at the one place
 * they surface, so callers never parse messages. ssh2 marks its errors with `level`
 * (`client-socket`, `client-timeout`, `client-authentication`, `client-dns`, `protocol`,
 * `handshake`) and socket errors keep their errno `code`.
 */
interface WireError {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly level?: unknown;
}

const byErrno: Readonly<Record<string, RescueErrorCode>> = {
  ECONNREFUSED: 'SSH_REFUSED',
  EHOSTUNREACH: 'SSH_UNREACHABLE',
  ENETUNREACH: 'SSH_UNREACHABLE',
  EHOSTDOWN: 'SSH_UNREACHABLE',
  ENOTFOUND: 'SSH_UNREACHABLE',
  EAI_AGAIN: 'SSH_UNREACHABLE',
  EADDRNOTAVAIL: 'SSH_UNREACHABLE',
  ETIMEDOUT: 'SSH_TIMEOUT',
  ECONNRESET: 'SSH_CONNECTION_LOST',
  EPIPE: 'SSH_CONNECTION_LOST',
};

const byLevel: Readonly<Record<string, RescueErrorCode>> = {
  'client-timeout': 'SSH_TIMEOUT',
  'client-authentication': 'SSH_AUTH_FAILED',
  'client-dns': 'SSH_UNREACHABLE',
};

const explanations: Readonly<Partial<Record<RescueErrorCode, string>>> = {
  SSH_REFUSED: 'nothing listens there (yet)',
  SSH_UNREACHABLE: 'the address cannot be reached',
  SSH_TIMEOUT: 'no SSH handshake in time',
  SSH_AUTH_FAILED: 'the server does not accept the key',
  SSH_CONNECTION_LOST: 'the connection broke',
};

/** Classifies a failure while connecting to `where` (`root@host:port`). */
export function classifyConnectError(error: unknown, where: string): RescueError {
  if (error instanceof RescueError) return error;
  const wire = (typeof error === 'object' && error !== null ? error : {}) as WireError;
  const code = codeOf(wire);
  const detail = typeof wire.message === 'string' ? wire.message : String(error);
  return new RescueError(code, `connecting to ${where} failed: ${explanations[code] ?? ''} (${detail})`, {
    cause: error,
  });
}

/** An established session broke (keepalive timeout, reset): always SSH_CONNECTION_LOST. */
export function connectionLost(error: unknown, where: string): RescueError {
  const detail = error instanceof Error ? error.message : 'the server closed the connection';
  return new RescueError('SSH_CONNECTION_LOST', `the SSH connection to ${where} was lost: ${detail}`, {
    cause: error,
  });
}

function codeOf(wire: WireError): RescueErrorCode {
  if (typeof wire.code === 'string' && wire.code in byErrno)
    return byErrno[wire.code] ?? 'SSH_CONNECTION_LOST';
  if (typeof wire.level === 'string' && wire.level in byLevel)
    return byLevel[wire.level] ?? 'SSH_CONNECTION_LOST';
  // Protocol and handshake errors, and the server hanging up early, happen while sshd is
  // still coming up or going down: worth another try.
  return 'SSH_CONNECTION_LOST';
}
