import { isRobotError, RobotError } from '../../ports/robot-errors.js';
import type {
  ActivateRescueInput,
  CreateSshKeyInput,
  FindSshKeyInput,
  RenameServerInput,
  ResetInput,
  RobotRescue,
  RobotResetOptions,
  RobotServer,
  RobotServerRef,
  RobotServers,
  RobotSshKey,
} from '../../ports/robot-servers.js';
import type { RobotGroupBudgetState } from './request-budget.js';
import type { RobotEndpointGroup } from './robot-endpoints.js';
import { RobotTransport } from './robot-transport.js';
import { sshKeyFingerprint } from './ssh-key-fingerprint.js';
import type { RobotTransportOptions } from './transport-options.js';
import {
  parseAnswer,
  toRobotRescue,
  toRobotResetOptions,
  toRobotServer,
  toRobotSshKey,
} from './wire-mapping.js';
import {
  rescueEnvelopeSchema,
  resetEnvelopeSchema,
  serverEnvelopeSchema,
  sshKeyEnvelopeSchema,
  sshKeyListSchema,
} from './wire-schemas.js';

const fingerprintPattern = /^[0-9a-f]{2}(:[0-9a-f]{2}){15}$/;

/**
 * The `RobotServers` port over the Robot webservice (robot.hetzner.com/doc/webservice/en.html), one
 * per account.
 */
export class HrobotServers implements RobotServers {
  private readonly transport: RobotTransport;
  private readonly now: () => number;

  constructor(options: RobotTransportOptions) {
    this.transport = new RobotTransport(options);
    this.now = options.now ?? Date.now;
  }

  /** The account's request budget per endpoint group, for metrics. */
  budgetState(): Readonly<Record<RobotEndpointGroup, RobotGroupBudgetState>> {
    return this.transport.budget.state(this.now());
  }

  async getServer(input: RobotServerRef): Promise<RobotServer> {
    const body = await this.transport.request({ operation: 'getServer', params: { n: input.serverNumber } });
    return toRobotServer(parseAnswer(serverEnvelopeSchema, body, 'getServer').server);
  }

  async renameServer(input: RenameServerInput): Promise<RobotServer> {
    if (input.name === '' || input.name.length > 100)
      throw new RobotError('ROBOT_INVALID_INPUT', 'robot renameServer: name must have 1 to 100 characters');
    const body = await this.transport.request({
      operation: 'renameServer',
      params: { n: input.serverNumber },
      form: { server_name: input.name },
    });
    return toRobotServer(parseAnswer(serverEnvelopeSchema, body, 'renameServer').server);
  }

  async getRescue(input: RobotServerRef): Promise<RobotRescue> {
    const body = await this.transport.request({ operation: 'getRescue', params: { n: input.serverNumber } });
    return toRobotRescue(parseAnswer(rescueEnvelopeSchema, body, 'getRescue').rescue);
  }

  async activateRescue(input: ActivateRescueInput): Promise<RobotRescue> {
    const keys = input.authorizedKeyFingerprints;
    if (keys.length === 0 || !keys.every((key) => fingerprintPattern.test(key)))
      throw new RobotError(
        'ROBOT_INVALID_INPUT',
        'robot activateRescue: authorizedKeyFingerprints must list at least one MD5 fingerprint (aa:bb:…, 16 bytes)',
      );
    const body = await this.transport.request({
      operation: 'activateRescue',
      params: { n: input.serverNumber },
      form: { os: 'linux', authorized_key: keys },
    });
    return toRobotRescue(parseAnswer(rescueEnvelopeSchema, body, 'activateRescue').rescue);
  }

  async deactivateRescue(input: RobotServerRef): Promise<RobotRescue> {
    const body = await this.transport.request({
      operation: 'deactivateRescue',
      params: { n: input.serverNumber },
    });
    return toRobotRescue(parseAnswer(rescueEnvelopeSchema, body, 'deactivateRescue').rescue);
  }

  async getResetOptions(input: RobotServerRef): Promise<RobotResetOptions> {
    const body = await this.transport.request({
      operation: 'getResetOptions',
      params: { n: input.serverNumber },
    });
    const reset = parseAnswer(resetEnvelopeSchema, body, 'getResetOptions').reset;
    return toRobotResetOptions(reset, input.serverNumber);
  }

  async reset(input: ResetInput): Promise<void> {
    const body = await this.transport.request({
      operation: 'reset',
      params: { n: input.serverNumber },
      form: { type: input.type },
    });
    parseAnswer(resetEnvelopeSchema, body, 'reset');
  }

  async listSshKeys(): Promise<readonly RobotSshKey[]> {
    try {
      const body = await this.transport.request({ operation: 'listSshKeys' });
      return parseAnswer(sshKeyListSchema, body, 'listSshKeys').map((entry) => toRobotSshKey(entry.key));
    } catch (error) {
      // An account without keys answers 404 NOT_FOUND, not [] (Robot docs, SSH keys).
      if (isRobotError(error, 'ROBOT_NOT_FOUND')) return [];
      throw error;
    }
  }

  async findSshKey(input: FindSshKeyInput): Promise<RobotSshKey | undefined> {
    const fingerprint = sshKeyFingerprint(input.publicKey);
    try {
      const body = await this.transport.request({ operation: 'findSshKey', params: { fingerprint } });
      return toRobotSshKey(parseAnswer(sshKeyEnvelopeSchema, body, 'findSshKey').key);
    } catch (error) {
      if (isRobotError(error, 'ROBOT_NOT_FOUND')) return undefined;
      throw error;
    }
  }

  async createSshKey(input: CreateSshKeyInput): Promise<RobotSshKey> {
    sshKeyFingerprint(input.publicKey);
    if (input.name.trim() === '')
      throw new RobotError('ROBOT_INVALID_INPUT', 'robot createSshKey: name must not be empty');
    const body = await this.transport.request({
      operation: 'createSshKey',
      form: { name: input.name, data: input.publicKey.trim() },
    });
    return toRobotSshKey(parseAnswer(sshKeyEnvelopeSchema, body, 'createSshKey').key);
  }
}
