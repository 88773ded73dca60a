// SIGTERM — a cancelled CI job, `timeout`, a pod being terminated — ends a run the way Ctrl-C does
// (stop after the running test, remove what the run created, write the reports, exit 130), rather
// than killing the process with the runtime's objects still there.

/** Re-raises each SIGTERM as SIGINT until the returned function is called. */
export function treatSigtermAsSigint(): () => void {
  const onSigterm = (): void => {
    process.kill(process.pid, 'SIGINT');
  };
  process.on('SIGTERM', onSigterm);
  return () => {
    process.off('SIGTERM', onSigterm);
  };
}
