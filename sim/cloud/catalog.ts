/**
 * The fixed catalogue the Cloud simulator offers: locations, server types and system images,
 * shaped as docs.hetzner.cloud describes them. Prices and coordinates are plausible, not quoted.
 */
export interface Location {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly country: string;
  readonly city: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly network_zone: string;
}

export const locations: readonly Location[] = [
  {
    id: 1,
    name: 'fsn1',
    description: 'Falkenstein DC Park 1',
    country: 'DE',
    city: 'Falkenstein',
    latitude: 50.47612,
    longitude: 12.370071,
    network_zone: 'eu-central',
  },
  {
    id: 2,
    name: 'nbg1',
    description: 'Nuremberg DC Park 1',
    country: 'DE',
    city: 'Nuremberg',
    latitude: 49.452102,
    longitude: 11.076665,
    network_zone: 'eu-central',
  },
  {
    id: 3,
    name: 'hel1',
    description: 'Helsinki DC Park 1',
    country: 'FI',
    city: 'Helsinki',
    latitude: 60.169855,
    longitude: 24.938379,
    network_zone: 'eu-central',
  },
  {
    id: 4,
    name: 'ash',
    description: 'Ashburn, VA',
    country: 'US',
    city: 'Ashburn, VA',
    latitude: 39.045821,
    longitude: -77.487073,
    network_zone: 'us-east',
  },
  {
    id: 5,
    name: 'hil',
    description: 'Hillsboro, OR',
    country: 'US',
    city: 'Hillsboro, OR',
    latitude: 45.54222,
    longitude: -122.951924,
    network_zone: 'us-west',
  },
  {
    id: 6,
    name: 'sin',
    description: 'Singapore',
    country: 'SG',
    city: 'Singapore',
    latitude: 1.283333,
    longitude: 103.833333,
    network_zone: 'ap-southeast',
  },
];

export interface ServerType {
  readonly id: number;
  readonly name: string;
  readonly cores: number;
  readonly memory: number;
  readonly disk: number;
  readonly cpu_type: 'shared' | 'dedicated';
  readonly architecture: 'x86' | 'arm';
  readonly category: string;
  readonly monthlyEur: string;
}

export const serverTypes: readonly ServerType[] = [
  {
    id: 104,
    name: 'cx23',
    cores: 2,
    memory: 4,
    disk: 40,
    cpu_type: 'shared',
    architecture: 'x86',
    category: 'cost_optimized',
    monthlyEur: '3.4900',
  },
  {
    id: 22,
    name: 'cpx22',
    cores: 2,
    memory: 4,
    disk: 80,
    cpu_type: 'shared',
    architecture: 'x86',
    category: 'regular_purpose',
    monthlyEur: '7.9900',
  },
  {
    id: 23,
    name: 'cpx32',
    cores: 4,
    memory: 8,
    disk: 160,
    cpu_type: 'shared',
    architecture: 'x86',
    category: 'regular_purpose',
    monthlyEur: '13.9900',
  },
  {
    id: 45,
    name: 'cax11',
    cores: 2,
    memory: 4,
    disk: 40,
    cpu_type: 'shared',
    architecture: 'arm',
    category: 'cost_optimized',
    monthlyEur: '3.9900',
  },
  {
    id: 96,
    name: 'ccx13',
    cores: 2,
    memory: 8,
    disk: 80,
    cpu_type: 'dedicated',
    architecture: 'x86',
    category: 'general_purpose',
    monthlyEur: '14.4900',
  },
];

export interface Image {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly os_flavor: string;
  readonly os_version: string;
  readonly architecture: 'x86' | 'arm';
  readonly created: string;
}

export const images: readonly Image[] = [
  {
    id: 5001,
    name: 'debian-13',
    description: 'Debian 13',
    os_flavor: 'debian',
    os_version: '13',
    architecture: 'x86',
    created: '2025-08-18T06:15:25Z',
  },
  {
    id: 5002,
    name: 'debian-13',
    description: 'Debian 13',
    os_flavor: 'debian',
    os_version: '13',
    architecture: 'arm',
    created: '2025-08-18T06:15:25Z',
  },
  {
    id: 5003,
    name: 'ubuntu-24.04',
    description: 'Ubuntu 24.04',
    os_flavor: 'ubuntu',
    os_version: '24.04',
    architecture: 'x86',
    created: '2024-04-25T09:00:00Z',
  },
  {
    id: 5004,
    name: 'ubuntu-24.04',
    description: 'Ubuntu 24.04',
    os_flavor: 'ubuntu',
    os_version: '24.04',
    architecture: 'arm',
    created: '2024-04-25T09:00:00Z',
  },
];

export function renderLocation(location: Location): Location {
  return { ...location };
}

export function renderServerType(type: ServerType): Record<string, unknown> {
  const price = (monthly: string): Record<string, unknown> => ({ net: monthly, gross: grossOf(monthly) });
  const hourly = (Number(type.monthlyEur) / 730).toFixed(4);
  return {
    id: type.id,
    name: type.name,
    description: type.name.toUpperCase(),
    category: type.category,
    cores: type.cores,
    memory: type.memory,
    disk: type.disk,
    storage_type: 'local',
    cpu_type: type.cpu_type,
    architecture: type.architecture,
    deprecated: false,
    deprecation: null,
    included_traffic: 0,
    prices: locations.map((location) => ({
      location: location.name,
      price_hourly: price(hourly),
      price_monthly: price(type.monthlyEur),
      included_traffic: 21990232555520,
      price_per_tb_traffic: price('1.0000'),
    })),
    locations: locations.map((location) => ({
      id: location.id,
      name: location.name,
      deprecation: null,
      available: true,
      recommended: true,
    })),
  };
}

export function renderImage(image: Image): Record<string, unknown> {
  return {
    id: image.id,
    type: 'system',
    status: 'available',
    name: image.name,
    description: image.description,
    image_size: null,
    disk_size: 5,
    created: image.created,
    created_from: null,
    bound_to: null,
    os_flavor: image.os_flavor,
    os_version: image.os_version,
    architecture: image.architecture,
    rapid_deploy: true,
    protection: { delete: false },
    deprecated: null,
    deleted: null,
    labels: {},
  };
}

function grossOf(net: string): string {
  return (Number(net) * 1.19).toFixed(4);
}
