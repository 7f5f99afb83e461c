/**
 * A Lambda handler built on its first invocation (configuration read and checked, clients and logger created), then
 * reused by every invocation of the same environment.
 */
export function lazyHandler<Args extends unknown[], Result>(
  build: () => (...args: Args) => Result,
): (...args: Args) => Result {
  let handler: ((...args: Args) => Result) | undefined;
  return (...args) => {
    handler ??= build();
    return handler(...args);
  };
}
