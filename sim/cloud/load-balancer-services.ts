import { CloudErrorResponse } from './cloud-error-response.js';
import type { JsonObject } from './cloud-input.js';
import type { ServiceConfig } from './load-balancer-record.js';

const protocols = ['tcp', 'http', 'https'] as const;
type Protocol = (typeof protocols)[number];

function port(body: JsonObject, field: string, fallback: number | undefined): number {
  const value = body[field] ?? fallback;
  if (value === undefined) throw CloudErrorResponse.invalidField(field, 'is required for protocol tcp');
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535)
    throw CloudErrorResponse.invalidField(field, 'must be a port from 1 to 65535');
  return value;
}

function objectField(body: JsonObject, field: string): JsonObject {
  const value = body[field];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw CloudErrorResponse.invalidField(field, 'must be an object');
  return value as JsonObject;
}

function protocolOf(body: JsonObject, field: string, fallback?: Protocol): Protocol {
  const value = body[field] ?? fallback;
  if (typeof value !== 'string' || !(protocols as readonly string[]).includes(value))
    throw CloudErrorResponse.invalidField(field, `allowed: ${protocols.join(', ')}`);
  return value as Protocol;
}

/** HTTP options of http/https services; certificates are not simulated, so https cannot be set up. */
function httpOptions(
  protocol: Protocol,
  input: JsonObject,
  previous: Record<string, unknown> | null,
): Record<string, unknown> | null {
  if (protocol === 'tcp') return null;
  const merged = {
    cookie_name: 'HCLBSTICKY',
    cookie_lifetime: 300,
    certificates: [],
    redirect_http: false,
    sticky_sessions: false,
    ...previous,
    ...input,
  };
  if (protocol === 'https' && (merged.certificates as unknown[]).length === 0)
    throw CloudErrorResponse.invalidField(
      'http.certificates',
      'https services need a certificate (certificates are not simulated)',
    );
  return merged;
}

function healthCheck(
  input: JsonObject,
  service: { protocol: Protocol; destinationPort: number },
  previous: Record<string, unknown> | undefined,
): ServiceConfig['health_check'] {
  const protocol = protocolOf(
    input,
    'protocol',
    (previous?.protocol as Protocol | undefined) ?? (service.protocol === 'tcp' ? 'tcp' : 'http'),
  );
  const http =
    protocol === 'tcp'
      ? null
      : {
          domain: null,
          path: '/',
          response: null,
          status_codes: ['2??', '3??'],
          tls: false,
          ...(previous?.http as object | null),
          ...objectField(input, 'http'),
        };
  return {
    interval: 15,
    timeout: 10,
    retries: 3,
    ...previous,
    ...input,
    protocol,
    port: port(input, 'port', (previous?.port as number | undefined) ?? service.destinationPort),
    http,
  };
}

function portsOf(
  body: JsonObject,
  protocol: Protocol,
  previous: ServiceConfig | undefined,
): { listenPort: number; destinationPort: number } {
  const listenDefault = { tcp: undefined, http: 80, https: 443 }[protocol];
  const destinationDefault = protocol === 'tcp' ? undefined : 80;
  return {
    listenPort: port(body, 'listen_port', previous?.listen_port ?? listenDefault),
    destinationPort: port(body, 'destination_port', previous?.destination_port ?? destinationDefault),
  };
}

/**
 * A service to add (docs.hetzner.cloud, "Add Service"), or an update merged into `previous`:
 * tcp needs both ports; http defaults to 80, https to 443 → 80; health checks default to the
 * service's protocol and destination port, every 15 s, 10 s timeout, 3 retries.
 */
export function serviceInput(body: JsonObject, previous?: ServiceConfig): ServiceConfig {
  const protocol = protocolOf(body, 'protocol', previous?.protocol);
  const { listenPort, destinationPort } = portsOf(body, protocol, previous);
  const proxyprotocol = body.proxyprotocol ?? previous?.proxyprotocol ?? false;
  if (typeof proxyprotocol !== 'boolean')
    throw CloudErrorResponse.invalidField('proxyprotocol', 'must be a boolean');
  return {
    protocol,
    listen_port: listenPort,
    destination_port: destinationPort,
    proxyprotocol,
    http: httpOptions(protocol, objectField(body, 'http'), previous?.http ?? null),
    health_check: healthCheck(
      objectField(body, 'health_check'),
      { protocol, destinationPort },
      previous?.health_check,
    ),
  };
}

/** `source_port_already_used`: one service per listen port. */
export function assertPortFree(services: readonly ServiceConfig[], listenPort: number): void {
  if (services.some((service) => service.listen_port === listenPort))
    throw CloudErrorResponse.unprocessable(
      'source_port_already_used',
      `listen port ${listenPort} is already used by a service`,
    );
}
