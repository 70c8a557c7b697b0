import { mulberry32 } from '../machine/duration-draws.js';
import {
  faultRulesSchema,
  type ActionFault,
  type BootFault,
  type ConnectionFault,
  type FaultRule,
  type RequestFault,
} from './fault-rules.js';

export class InvalidFaultRulesError extends Error {
  readonly code = 'INVALID_FAULT_RULES';
}

interface ActiveRule<R extends FaultRule> {
  readonly rule: R;
  remaining: number;
}

/**
 * The faults in force for one simulator. Lookups consume a rule's `count` only when the rule
 * fires (its `rate` roll succeeded), so "the next 3 poweron calls fail" means exactly three.
 */
export class FaultBook {
  private rules: ActiveRule<FaultRule>[] = [];

  constructor(private random: () => number = Math.random) {}

  /** Rolls rates from a seeded generator from now on: a seeded run draws the same faults. */
  seed(seed: number): void {
    this.random = mulberry32(seed);
  }

  /** Adds rules after validating all of them; nothing is added when one is invalid. */
  add(input: unknown): readonly FaultRule[] {
    const parsed = faultRulesSchema.safeParse(Array.isArray(input) ? input : [input]);
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(rule)'}: ${issue.message}`,
      );
      throw new InvalidFaultRulesError(`invalid fault rules: ${issues.join('; ')}`);
    }
    for (const rule of parsed.data) this.rules.push({ rule, remaining: rule.count ?? Infinity });
    return parsed.data;
  }

  clear(): void {
    this.rules = [];
  }

  list(): readonly FaultRule[] {
    return this.rules.map((active) => active.rule);
  }

  forRequest(method: string, endpoint: string, path: string): RequestFault | undefined {
    return this.take(
      (rule): rule is RequestFault =>
        rule.kind === 'request' &&
        (rule.method === undefined || rule.method.toUpperCase() === method) &&
        (rule.path === undefined || rule.path === endpoint || rule.path === path),
    );
  }

  /** A rule that resets the connection of this request instead of answering it. */
  forConnection(method: string, endpoint: string, path: string): ConnectionFault | undefined {
    return this.take(
      (rule): rule is ConnectionFault =>
        rule.kind === 'connection' &&
        (rule.method === undefined || rule.method.toUpperCase() === method) &&
        (rule.path === undefined || rule.path === endpoint || rule.path === path),
    );
  }

  forAction(command: string): ActionFault | undefined {
    return this.take(
      (rule): rule is ActionFault =>
        rule.kind === 'action' && (rule.command === undefined || rule.command === command),
    );
  }

  /** `names`: what a rule's `server` may say of this machine (its own name, the server's). */
  forBoot(system: 'rescue' | 'os', names: string | readonly string[]): BootFault | undefined {
    const known = typeof names === 'string' ? [names] : names;
    return this.take(
      (rule): rule is BootFault =>
        rule.kind === 'boot' &&
        rule.system === system &&
        (rule.server === undefined || known.includes(rule.server)),
    );
  }

  private take<R extends FaultRule>(matches: (rule: FaultRule) => rule is R): R | undefined {
    for (const active of this.rules) {
      if (active.remaining <= 0 || !matches(active.rule)) continue;
      if (this.random() >= (active.rule.rate ?? 1)) continue;
      active.remaining -= 1;
      this.rules = this.rules.filter((candidate) => candidate.remaining > 0);
      return active.rule;
    }
    return undefined;
  }
}
