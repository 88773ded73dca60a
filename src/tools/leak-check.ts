// Lists every pod sandbox and container that carries the suite's run label, whatever the run.
// Exit 0 when there is none, 1 when something was left behind. Used after `npm test` runs.
import { connect } from '../client/cri-client.js';
import { RUN_LABEL } from '../framework/run/context.js';

async function leakCheck(endpoint: string): Promise<number> {
  const client = connect({ runtimeEndpoint: endpoint });
  try {
    const { items } = await client.runtime.ListPodSandbox({});
    const { containers } = await client.runtime.ListContainers({});
    const leaks = [
      ...items
        .filter((p) => RUN_LABEL in p.labels)
        .map((p) => `pod ${p.id} ${p.metadata?.name} (run ${p.labels[RUN_LABEL]})`),
      ...containers
        .filter((c) => RUN_LABEL in c.labels)
        .map((c) => `container ${c.id} ${c.metadata?.name} (run ${c.labels[RUN_LABEL]})`),
    ];
    for (const leak of leaks) process.stdout.write(`left behind: ${leak}\n`);
    process.stdout.write(
      `leak check: ${leaks.length} object(s) labelled ${RUN_LABEL} among ${items.length} pod(s) and ${containers.length} container(s)\n`,
    );
    return leaks.length === 0 ? 0 : 1;
  } finally {
    client.close();
  }
}

const endpoint = process.argv[2] ?? process.env.CONTAINER_RUNTIME_ENDPOINT;
if (!endpoint) {
  process.stderr.write('usage: leak-check <runtime-endpoint>\n');
  process.exit(2);
}
leakCheck(endpoint).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`leak check failed: ${err.message}\n`);
    process.exit(1);
  },
);
