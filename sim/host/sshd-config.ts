export interface SshdConfigInput {
  readonly address: string;
  readonly port: number;
  readonly hostKeyPath: string;
  /** Root may also log in with a password (the rescue system's, set in its own /etc/shadow). */
  readonly passwordLogin?: boolean;
}

/**
 * The sshd configuration of a simulated server: root logs in by key (and by password when the
 * system has one, as Hetzner's rescue system does), Debian's AcceptEnv default (so env requests behave as on a real server), and SFTP.
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
    input.passwordLogin === true ? 'PermitRootLogin yes' : 'PermitRootLogin prohibit-password',
    `PasswordAuthentication ${input.passwordLogin === true ? 'yes' : 'no'}`,
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
