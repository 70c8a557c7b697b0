import { locations } from './catalog.js';

/** The load balancer types of docs.hetzner.cloud ("Load Balancer Types"); prices plausible, not quoted. */
export interface LoadBalancerType {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly maxConnections: number;
  readonly maxServices: number;
  readonly maxTargets: number;
  readonly maxAssignedCertificates: number;
  readonly monthlyEur: string;
}

export const loadBalancerTypes: readonly LoadBalancerType[] = [
  {
    id: 1,
    name: 'lb11',
    description: 'LB11',
    maxConnections: 10_000,
    maxServices: 5,
    maxTargets: 25,
    maxAssignedCertificates: 10,
    monthlyEur: '5.3900',
  },
  {
    id: 2,
    name: 'lb21',
    description: 'LB21',
    maxConnections: 20_000,
    maxServices: 15,
    maxTargets: 75,
    maxAssignedCertificates: 25,
    monthlyEur: '16.4900',
  },
  {
    id: 3,
    name: 'lb31',
    description: 'LB31',
    maxConnections: 40_000,
    maxServices: 30,
    maxTargets: 150,
    maxAssignedCertificates: 50,
    monthlyEur: '32.9900',
  },
];

export function renderLoadBalancerType(type: LoadBalancerType): Record<string, unknown> {
  const price = (net: string): Record<string, string> => ({ net, gross: (Number(net) * 1.19).toFixed(4) });
  return {
    id: type.id,
    name: type.name,
    description: type.description,
    max_connections: type.maxConnections,
    max_services: type.maxServices,
    max_targets: type.maxTargets,
    max_assigned_certificates: type.maxAssignedCertificates,
    deprecated: null,
    deprecation: null,
    prices: locations.map((location) => ({
      location: location.name,
      price_hourly: price((Number(type.monthlyEur) / 730).toFixed(4)),
      price_monthly: price(type.monthlyEur),
      included_traffic: 21990232555520,
      price_per_tb_traffic: price('1.0000'),
    })),
  };
}
