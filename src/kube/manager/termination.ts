/**
 * An AbortSignal that aborts on the first SIGTERM or SIGINT (the graceful shutdown the kubelet
 * asks for). `dispose` removes the handlers.
 */
export function terminationSignal(
  target: Pick<NodeJS.Process, 'once' | 'off'>,
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): { readonly signal: AbortSignal; readonly dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => controller.abort(new Error(`received ${name}`));
  for (const name of signals) target.once(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of signals) target.off(name, onSignal);
    },
  };
}
