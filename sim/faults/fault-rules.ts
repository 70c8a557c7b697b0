import { z } from 'zod';

/**
 * Declarative faults for the simulators, posted to the admin path or loaded from a file.
 * Every rule may apply to a share of the matching events (`rate`, default 1) and only to the
 * next `count` of them (default: unlimited).
 */
const budget = {
  rate: z.number().min(0).max(1).optional(),
  count: z.number().int().positive().optional(),
};

/** Answer matching API requests with an error instead of serving them. */
export const requestFaultSchema = z.object({
  kind: z.literal('request'),
  /** HTTP method; any when omitted. */
  method: z.string().optional(),
  /** A route pattern as the request log shows it (`/servers/:id/actions/poweron`) or a literal path. */
  path: z.string().optional(),
  /** HTTP status and API error code, e.g. 503 `unavailable`, 500 `server_error`; 429 answers with the API's rate-limit error. */
  status: z.number().int().min(400).max(599),
  code: z.string().optional(),
  message: z.string().optional(),
  ...budget,
});

/** Make matching asynchronous actions (Cloud) fail, take longer, or never finish. */
export const actionFaultSchema = z.object({
  kind: z.literal('action'),
  /** Action command, e.g. `start_server`; any when omitted. */
  command: z.string().optional(),
  outcome: z.enum(['error', 'never-finish', 'slow']),
  /** For `slow`: how many times longer than configured. */
  factor: z.number().positive().optional(),
  ...budget,
});

/**
 * Make matching boots misbehave: nothing answers SSH, a wrong hostname, SSH connections
 * dropped, or (`foreign-host-key`, rescue only) a host key other than the one Robot published
 * for the activation, as a system in the middle would present.
 */
export const bootFaultSchema = z.object({
  kind: z.literal('boot'),
  system: z.enum(['rescue', 'os']),
  /** Server name (Cloud) or server number (Robot); any when omitted. */
  server: z.string().optional(),
  outcome: z.enum(['no-ssh', 'wrong-hostname', 'drop-ssh', 'foreign-host-key']),
  /** For `wrong-hostname`; defaults to a name that is not the expected one. */
  hostname: z.string().optional(),
  /** For `drop-ssh`: the SSH connections open this long after the boot are cut (default 1 s). */
  afterMs: z.number().int().nonnegative().optional(),
  ...budget,
});

/**
 * Reset the TCP connection of matching API requests instead of answering: `before-serving`
 * (the request never reached the API) or `after-serving` (it was carried out, its answer is
 * lost: the client cannot tell the two apart, which is what makes retries dangerous).
 */
export const connectionFaultSchema = z.object({
  kind: z.literal('connection'),
  method: z.string().optional(),
  path: z.string().optional(),
  when: z.enum(['before-serving', 'after-serving']).optional(),
  ...budget,
});

export const faultRuleSchema = z.discriminatedUnion('kind', [
  requestFaultSchema,
  connectionFaultSchema,
  actionFaultSchema,
  bootFaultSchema,
]);
export const faultRulesSchema = z.array(faultRuleSchema);

export type RequestFault = z.infer<typeof requestFaultSchema>;
export type ConnectionFault = z.infer<typeof connectionFaultSchema>;
export type ActionFault = z.infer<typeof actionFaultSchema>;
export type BootFault = z.infer<typeof bootFaultSchema>;
export type FaultRule = z.infer<typeof faultRuleSchema>;
