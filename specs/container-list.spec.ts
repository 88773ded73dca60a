// RuntimeService ListContainers: filters by id, state, pod_sandbox_id, label selector and their
// combinations, against two pods of this file with a created, a running and an exited container
// each, all carrying a group label no other test uses: a filter that leaks across pods or states,
// or drops items, is seen.
import { expect } from 'chai';
import type { ContainerFilter } from '../src/generated/runtime/v1/ContainerFilter.js';
import type { ContainerStatus__Output } from '../src/generated/runtime/v1/ContainerStatus.js';
import {
  type Container,
  cri,
  findOne,
  itId,
  type Pod,
  rpc,
  setup,
  shared,
  uniqueName,
  useScope,
  waitForContainerState,
  withContainerLabels,
  withShell,
} from '../src/framework/index.js';

type StateName = ContainerStatus__Output['state'];
const STATES = ['CONTAINER_CREATED', 'CONTAINER_RUNNING', 'CONTAINER_EXITED'] as const;

describe('Container', function () {
  useScope();
  let group: Record<string, string>;
  const pods: Record<'p' | 'q', Pod> = {} as Record<'p' | 'q', Pod>;
  const made: Record<string, Container> = {}; // key: `${pod}-${state}`

  // Two pods with a container in each state, made once for the list tests of this describe.
  const listed = shared(async (scope) => {
    group = { 'crit-list-group': uniqueName('ctrs') };
    for (const p of ['p', 'q'] as const) {
      pods[p] = await scope.runPod(`list-${p}`);
      for (const state of STATES) {
        const labels = withContainerLabels({ ...group, 'crit-pod': p, 'crit-state': state });
        const slug = `list-${p}-${state.slice(10).toLowerCase()}`;
        if (state === 'CONTAINER_CREATED') made[`${p}-${state}`] = await scope.createContainer(pods[p], slug, labels);
        if (state === 'CONTAINER_RUNNING') made[`${p}-${state}`] = await scope.runContainer(pods[p], slug, labels);
        if (state === 'CONTAINER_EXITED')
          made[`${p}-${state}`] = await scope.runContainer(pods[p], slug, labels, withShell('exit 0'));
      }
    }
    for (const p of ['p', 'q']) {
      await setup(
        'wait for RUNNING',
        waitForContainerState(made[`${p}-CONTAINER_RUNNING`].id, 'CONTAINER_RUNNING', { timeout: 30_000 }),
      );
      await setup(
        'wait for EXITED',
        waitForContainerState(made[`${p}-CONTAINER_EXITED`].id, 'CONTAINER_EXITED', { timeout: 30_000 }),
      );
    }
  });
  before(async function () {
    this.timeout(240_000);
    await listed.get();
  });

  const of = (p: 'p' | 'q', state: StateName): Container => made[`${p}-${state}`];
  const ids = (...cs: Container[]): string[] => cs.map((c) => c.id).sort();
  async function listIds(filter: ContainerFilter): Promise<string[]> {
    const { containers } = await cri().runtime.ListContainers({ filter });
    return containers.map((c) => c.id).sort();
  }

  rpc('ListContainers', function () {
    // api.proto ListContainers: "lists all containers by filters."
    it('lists every container of the suite without a filter', async function () {
      const { containers } = await cri().runtime.ListContainers({});
      expect(
        containers.map((c) => c.id),
        'ListContainers ids (no filter)',
      ).to.include.members(Object.values(made).map((c) => c.id));
    });

    // api.proto Container: id, pod_sandbox_id, metadata, image, image_ref, state, created_at,
    // labels, annotations ("MUST be identical to that of the corresponding ContainerConfig").
    it('returns id, pod id, metadata, image, state, created_at, labels and annotations of each item', async function () {
      const want = of('p', 'CONTAINER_RUNNING');
      const { containers } = await cri().runtime.ListContainers({ filter: { id: want.id } });
      const item = findOne(containers, (c) => c.id === want.id, `ListContainers item with id ${want.id}`);
      expect(item.pod_sandbox_id, 'Container.pod_sandbox_id').to.equal(pods.p.id);
      expect(item.metadata, 'Container.metadata').to.deep.equal({ name: want.config.metadata!.name, attempt: 0 });
      expect(item.image?.image, 'Container.image.image').to.be.oneOf([want.config.image!.image, item.image_ref]);
      expect(item.image_ref, 'Container.image_ref').to.not.equal('');
      expect(item.state, 'Container.state').to.equal('CONTAINER_RUNNING');
      expect(BigInt(item.created_at) > 0n, `Container.created_at ${item.created_at} > 0`).to.equal(true);
      expect(item.labels, 'Container.labels').to.deep.equal(want.config.labels);
      expect(item.annotations, 'Container.annotations').to.deep.equal(want.config.annotations);
    });

    // api.proto ContainerFilter.id: "ID of the container."
    it('filters by id', async function () {
      const want = of('q', 'CONTAINER_EXITED');
      expect(await listIds({ id: want.id }), 'ListContainers ids with filter id').to.deep.equal(ids(want));
    });

    // api.proto ContainerFilter.state: "State of the container."
    for (const state of STATES) {
      itId(
        `list-containers.filters-state-${state.replace('CONTAINER_', '').toLowerCase()}`,
        `filters by state ${state}`,
        async function () {
          const { containers } = await cri().runtime.ListContainers({ filter: { state: { state } } });
          const listed = containers.map((c) => c.id);
          expect(listed, `ListContainers ids with state ${state}`).to.include.members(
            ids(of('p', state), of('q', state)),
          );
          const others = Object.values(made).filter((c) => c !== of('p', state) && c !== of('q', state));
          expect(
            listed.filter((id) => others.some((c) => c.id === id)),
            `containers in other states listed with state ${state}`,
          ).to.deep.equal([]);
          expect(
            [...new Set(containers.map((c) => c.state))],
            `states of the items listed with state ${state}`,
          ).to.deep.equal([state]);
        },
      );
    }

    // api.proto ContainerFilter.pod_sandbox_id: "ID of the PodSandbox."
    it('filters by pod_sandbox_id', async function () {
      const want = STATES.map((s) => of('p', s));
      expect(await listIds({ pod_sandbox_id: pods.p.id }), 'ListContainers ids with the first pod id').to.deep.equal(
        ids(...want),
      );
    });

    // api.proto ContainerFilter.label_selector: "the requirements are ANDed".
    it('filters by one label', async function () {
      expect(await listIds({ label_selector: group }), 'ListContainers ids with the group label').to.deep.equal(
        ids(...Object.values(made)),
      );
    });

    itId(
      'list-containers.filters-several-labels-all-which',
      'filters by several labels, all of which must match',
      async function () {
        const filter = { label_selector: { ...group, 'crit-pod': 'q', 'crit-state': 'CONTAINER_CREATED' } };
        expect(await listIds(filter), 'ListContainers ids with group, crit-pod=q, crit-state=CREATED').to.deep.equal(
          ids(of('q', 'CONTAINER_CREATED')),
        );
      },
    );

    it('returns nothing when no container has the labels', async function () {
      expect(
        await listIds({ label_selector: { ...group, 'crit-pod': 'none' } }),
        'ListContainers ids with crit-pod=none',
      ).to.deep.equal([]);
    });

    // api.proto ContainerFilter: "All those fields are combined with 'AND'".
    it('combines pod_sandbox_id and state with AND', async function () {
      const filter: ContainerFilter = { pod_sandbox_id: pods.q.id, state: { state: 'CONTAINER_RUNNING' } };
      expect(await listIds(filter), 'ListContainers ids with the second pod id and state RUNNING').to.deep.equal(
        ids(of('q', 'CONTAINER_RUNNING')),
      );
    });

    it('combines labels and state with AND', async function () {
      const filter: ContainerFilter = { label_selector: group, state: { state: 'CONTAINER_EXITED' } };
      expect(await listIds(filter), 'ListContainers ids with the group label and state EXITED').to.deep.equal(
        ids(of('p', 'CONTAINER_EXITED'), of('q', 'CONTAINER_EXITED')),
      );
    });

    it('combines id and pod_sandbox_id with AND', async function () {
      const c = of('p', 'CONTAINER_CREATED');
      expect(
        await listIds({ id: c.id, pod_sandbox_id: pods.q.id }),
        'ListContainers ids with a container of one pod and the other pod id',
      ).to.deep.equal([]);
      expect(
        await listIds({ id: c.id, pod_sandbox_id: pods.p.id }),
        'ListContainers ids with a container and its own pod id',
      ).to.deep.equal(ids(c));
    });
  });
});
