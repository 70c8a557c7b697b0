import { parsePublicKey, type RobotKey, type RobotServer } from './robot-account.js';

/** The short server object of `GET /server` (Robot docs). */
export function renderServerShort(server: RobotServer): Record<string, unknown> {
  const ip = server.machine.host.address;
  return {
    server_ip: ip,
    server_ipv6_net: server.ipv6Net,
    server_number: server.number,
    server_name: server.name,
    product: server.product,
    dc: server.dc,
    traffic: 'unlimited',
    status: 'ready',
    cancelled: false,
    paid_until: '2030-12-31',
    ip: [ip],
    subnet: [{ ip: server.ipv6Net, mask: '64' }],
  };
}

/** `GET /server/{n}`: the short set plus availability flags. */
export function renderServerFull(server: RobotServer): Record<string, unknown> {
  return {
    ...renderServerShort(server),
    reset: true,
    rescue: true,
    vnc: true,
    windows: false,
    plesk: false,
    cpanel: false,
    wol: true,
    hot_swap: false,
    linked_storagebox: null,
  };
}

export function renderKey(key: RobotKey, withData = true): Record<string, unknown> {
  return {
    name: key.name,
    fingerprint: key.fingerprint,
    type: key.type,
    size: key.size,
    ...(withData ? { data: key.data } : {}),
    created_at: key.createdAt,
  };
}

/** `os`/`arch` are arrays of choices while inactive and the chosen scalars while active (Robot docs). */
export function renderRescue(server: RobotServer, record = server.rescue): Record<string, unknown> {
  const active = record !== undefined && record === server.rescue;
  return {
    server_ip: server.machine.host.address,
    server_ipv6_net: server.ipv6Net,
    server_number: server.number,
    os: record ? record.os : ['linux', 'vkvm'],
    arch: record ? record.arch : [64],
    active,
    password: record ? record.password : null,
    authorized_key: (record?.keys ?? []).map((key) => ({ key: renderKey(key, false) })),
    host_key: record?.hostKey === undefined ? [] : [{ key: renderHostKey(record.hostKey.publicKey) }],
    boot_time: null,
  };
}

export function renderReset(server: RobotServer, type: readonly string[] | string): Record<string, unknown> {
  return {
    server_ip: server.machine.host.address,
    server_ipv6_net: server.ipv6Net,
    server_number: server.number,
    type,
  };
}

/** A host key as Robot lists host keys in its order transactions: MD5 fingerprint, type, bits. */
function renderHostKey(publicKey: string): Record<string, unknown> {
  return { ...parsePublicKey(publicKey) };
}
