// When StartContainer last answered OK for each container of this process. CRI's StartContainer
// returns once the container is started, so a container still CONTAINER_CREATED a moment after
// that answer never started: waits for RUNNING or EXITED end then, instead of at their deadline.

const startedAt = new Map<string, number>();

/**
 * How long after StartContainer answered OK a container may still read CONTAINER_CREATED (a
 * runtime that updates its status a moment late) before it is taken as never started.
 */
export const START_SETTLE_MS = 1_000;

export function noteStarted(containerId: string): void {
  startedAt.set(containerId, Date.now());
}

/** Ms since StartContainer answered OK for `containerId`, or undefined when it has not. */
export function sinceStarted(containerId: string): number | undefined {
  const at = startedAt.get(containerId);
  return at === undefined ? undefined : Date.now() - at;
}
