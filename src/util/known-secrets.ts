/** Values shorter than this are not kept: they would blank ordinary words of a log line. */
const MIN_LENGTH = 6;

/**
 * Every secret value this process has read (hcloud tokens, Robot credentials, registry tokens,
 * SSH keys, bootstrap data), so one redactor takes them out of every log line and event note,
 * wherever a value travelled. The oldest values go first once `limit` are kept.
 */
export class KnownSecrets {
  private readonly values = new Set<string>();

  constructor(private readonly limit = 10_000) {}

  add(value: string | undefined): void {
    if (value === undefined || value.trim().length < MIN_LENGTH || this.values.has(value)) return;
    this.values.add(value);
    if (this.values.size > this.limit) {
      const oldest = this.values.values().next().value;
      if (oldest !== undefined) this.values.delete(oldest);
    }
  }

  /** `text` with every known value replaced, longest first so a value inside another goes too. */
  readonly redact = (text: string): string => {
    let result = text;
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      if (result.includes(value)) result = result.split(value).join('[REDACTED]');
    }
    return result;
  };
}
