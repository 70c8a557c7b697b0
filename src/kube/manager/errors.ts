/** The leader could not renew its Lease in time and stopped reconciling. */
export class LeaderElectionLostError extends Error {
  override readonly name = 'LeaderElectionLostError';
  readonly code = 'LEADER_ELECTION_LOST';

  constructor(readonly lease: string) {
    super(`lost the leader lease ${lease}: stopped reconciling; restart to campaign again`);
  }
}
