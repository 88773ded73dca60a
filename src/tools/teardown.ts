// Stops and removes every pod sandbox (and so every container) of a runtime, whoever made them:
// `scripts/testbed.sh down` and a runtime switch run it against the test bed's own runtime, so
// that CNI DEL runs for each pod before the runtime stops. Prints one line per pod; exit 0 when
// nothing is left, 1 otherwise. Not for a runtime the project did not start.
import { connect } from '../client/cri-client.js';

async function teardown(endpoint: string): Promise<number> {
  const client = connect({ runtimeEndpoint: endpoint });
  try {
    const { items } = await client.runtime.ListPodSandbox({});
    let failed = 0;
    for (const pod of items) {
      const name = `${pod.metadata?.namespace ?? '?'}/${pod.metadata?.name ?? '?'}`;
      try {
        await client.runtime.StopPodSandbox({ pod_sandbox_id: pod.id });
        await client.runtime.RemovePodSandbox({ pod_sandbox_id: pod.id });
        process.stderr.write(`testbed: removed pod sandbox ${pod.id} (${name})\n`);
      } catch (err) {
        failed++;
        process.stderr.write(
          `testbed: warning: could not remove pod sandbox ${pod.id} (${name}): ${(err as Error).message}\n`,
        );
      }
    }
    const { containers } = await client.runtime.ListContainers({});
    for (const c of containers) {
      try {
        await client.runtime.RemoveContainer({ container_id: c.id });
      } catch (err) {
        failed++;
        process.stderr.write(`testbed: warning: could not remove container ${c.id}: ${(err as Error).message}\n`);
      }
    }
    return failed === 0 ? 0 : 1;
  } finally {
    client.close();
  }
}

const endpoint = process.argv[2];
if (!endpoint) {
  process.stderr.write('usage: teardown <runtime-endpoint>\n');
  process.exit(2);
}
teardown(endpoint).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`testbed: teardown of ${endpoint} failed: ${err.message}\n`);
    process.exit(1);
  },
);
