export interface SshdConfigInput {
  readonly address: string;
  readonly port: number;
  readonly hostKeyPath: string;
}

/**
 * The sshd configuration of a simulated server: key-only root login as on Hetzner's rescue
 * system, Debian's AcceptEnv default (so env requests behave as on a real server), and SFTP.
 */
export function renderSshdConfig(input: SshdConfigInput): string {
  for (const [field, value] of Object.entries(input)) {
    if (/[\s#"]/.test(String(value)))
      throw new Error(`sshd ${field} must not contain spaces, '#' or quotes: ${String(value)}`);
  }
  return [
    `ListenAddress ${input.address}:${input.port}`,
    `HostKey ${input.hostKeyPath}`,
    'PidFile none',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'AuthorizedKeysFile .ssh/authorized_keys',
    'StrictModes yes',
    'PrintMotd no',
    'AcceptEnv LANG LC_*',
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}
