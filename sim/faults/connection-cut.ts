import type { ConnectionFault } from './fault-rules.js';

/**
 * Serves a request under a connection fault: not at all when the cut comes before serving
 * (`unanswered` stands for the reply in the request log), else as usual; the caller resets
 * the connection whenever `cut` is set.
 */
export async function servedUnlessCut<R>(
  cut: ConnectionFault | undefined,
  unanswered: R,
  serve: () => Promise<R>,
): Promise<R> {
  if (cut !== undefined && cut.when !== 'after-serving') return unanswered;
  return serve();
}
