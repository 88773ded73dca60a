// RuntimeService ListPodSandbox: no filter, and filters by id, state, label selector and their
// combinations, against three sandboxes of this file (two ready, one stopped) that share a group
// label no other test uses, so that a filter that leaks or drops items is seen.
import { expect } from 'chai';
import type { PodSandboxFilter } from '../src/generated/runtime/v1/PodSandboxFilter.js';
import {
  cri,
  findOne,
  itId,
  type Pod,
  rpc,
  setup,
  shared,
  uniqueName,
  useScope,
  withAnnotations,
  withLabels,
} from '../src/framework/index.js';

describe('PodSandbox', function () {
  useScope();
  let group: Record<string, string>;
  let a: Pod; // ready, role=x
  let b: Pod; // ready, role=y
  let c: Pod; // stopped, role=x

  // Three pods (two ready, one stopped), made once for the list tests of this describe.
  const listed = shared(async (scope) => {
    group = { 'crit-list-group': uniqueName('pods') };
    a = await scope.runPod(
      'list-a',
      withLabels({ ...group, 'crit-role': 'x' }),
      withAnnotations({ 'crit.example/which': 'a' }),
    );
    b = await scope.runPod('list-b', withLabels({ ...group, 'crit-role': 'y' }));
    c = await scope.runPod('list-c', withLabels({ ...group, 'crit-role': 'x' }));
    await setup('StopPodSandbox', cri().runtime.StopPodSandbox({ pod_sandbox_id: c.id }, { role: 'setup' }));
  });
  before(async function () {
    this.timeout(180_000);
    await listed.get();
  });

  const name = (p: Pod): string => p.config.metadata!.name!;
  async function listIds(filter: PodSandboxFilter): Promise<string[]> {
    const { items } = await cri().runtime.ListPodSandbox({ filter });
    return items.map((p) => p.id).sort();
  }
  const ids = (...pods: Pod[]): string[] => pods.map((p) => p.id).sort();

  rpc('ListPodSandbox', function () {
    // api.proto ListPodSandbox: "returns a list of PodSandboxes."
    it('lists every sandbox of the suite without a filter', async function () {
      const { items } = await cri().runtime.ListPodSandbox({});
      const listed = items.map((p) => p.id);
      expect(listed, 'ListPodSandbox ids (no filter)').to.include.members(ids(a, b, c));
    });

    // api.proto PodSandbox: id, metadata, state, created_at ("Must be > 0"), labels, annotations
    // ("MUST be identical to that of the corresponding PodSandboxConfig").
    it('returns id, metadata, state, created_at, labels and annotations of each item', async function () {
      const { items } = await cri().runtime.ListPodSandbox({ filter: { id: a.id } });
      const item = findOne(items, (p) => p.id === a.id, `ListPodSandbox item with id ${a.id}`);
      expect(item.metadata, 'PodSandbox.metadata').to.deep.equal({ ...a.config.metadata });
      expect(item.state, 'PodSandbox.state').to.equal('SANDBOX_READY');
      expect(BigInt(item.created_at) > 0n, `PodSandbox.created_at ${item.created_at} > 0`).to.equal(true);
      expect(item.labels, 'PodSandbox.labels').to.deep.equal(a.config.labels);
      expect(item.annotations, 'PodSandbox.annotations').to.deep.equal(a.config.annotations);
    });

    // api.proto PodSandboxFilter.id: "ID of the sandbox."
    it('filters by id', async function () {
      expect(await listIds({ id: b.id }), `ListPodSandbox ids with filter id of ${name(b)}`).to.deep.equal(ids(b));
    });

    // api.proto PodSandboxFilter.state: "State of the sandbox."
    it('filters by state SANDBOX_READY', async function () {
      const { items } = await cri().runtime.ListPodSandbox({ filter: { state: { state: 'SANDBOX_READY' } } });
      expect(
        items.map((p) => p.id),
        'ListPodSandbox ids with state READY',
      )
        .to.include.members(ids(a, b))
        .and.not.include(c.id);
      expect([...new Set(items.map((p) => p.state))], 'states of the items listed with state READY').to.deep.equal([
        'SANDBOX_READY',
      ]);
    });

    itId('list-pod-sandbox.filters-state-sandbox-notready', 'filters by state SANDBOX_NOTREADY', async function () {
      const { items } = await cri().runtime.ListPodSandbox({ filter: { state: { state: 'SANDBOX_NOTREADY' } } });
      const listed = items.map((p) => p.id);
      expect(listed, 'ListPodSandbox ids with state NOTREADY').to.include(c.id);
      expect(
        listed.filter((id) => id === a.id || id === b.id),
        'ready sandboxes listed with state NOTREADY',
      ).to.deep.equal([]);
      expect([...new Set(items.map((p) => p.state))], 'states of the items listed with state NOTREADY').to.deep.equal([
        'SANDBOX_NOTREADY',
      ]);
    });

    // api.proto PodSandboxFilter.label_selector: "Only api.MatchLabels is supported for now and the
    // requirements are ANDed."
    itId('list-pod-sandbox.filters-label', 'filters by one label', async function () {
      expect(await listIds({ label_selector: group }), 'ListPodSandbox ids with the group label').to.deep.equal(
        ids(a, b, c),
      );
    });

    itId(
      'list-pod-sandbox.filters-several-labels-all-which',
      'filters by several labels, all of which must match',
      async function () {
        expect(
          await listIds({ label_selector: { ...group, 'crit-role': 'x' } }),
          'ListPodSandbox ids with group and crit-role=x',
        ).to.deep.equal(ids(a, c));
      },
    );

    it('returns nothing when no sandbox has the labels', async function () {
      expect(
        await listIds({ label_selector: { ...group, 'crit-role': 'none' } }),
        'ListPodSandbox ids with crit-role=none',
      ).to.deep.equal([]);
    });

    // api.proto PodSandboxFilter: "All those fields are combined with 'AND'".
    it('combines state and labels with AND', async function () {
      const filter: PodSandboxFilter = {
        state: { state: 'SANDBOX_READY' },
        label_selector: { ...group, 'crit-role': 'x' },
      };
      expect(await listIds(filter), 'ListPodSandbox ids with state READY and crit-role=x').to.deep.equal(ids(a));
    });

    it('combines id and state with AND', async function () {
      expect(
        await listIds({ id: c.id, state: { state: 'SANDBOX_READY' } }),
        'ListPodSandbox ids with the stopped id and state READY',
      ).to.deep.equal([]);
      expect(
        await listIds({ id: c.id, state: { state: 'SANDBOX_NOTREADY' } }),
        'ListPodSandbox ids with the stopped id and state NOTREADY',
      ).to.deep.equal(ids(c));
    });

    it('combines id and labels with AND', async function () {
      expect(
        await listIds({ id: b.id, label_selector: { 'crit-role': 'x' } }),
        'ListPodSandbox ids with id of b and crit-role=x',
      ).to.deep.equal([]);
      expect(
        await listIds({ id: b.id, label_selector: { ...group, 'crit-role': 'y' } }),
        'ListPodSandbox ids with id of b and its labels',
      ).to.deep.equal(ids(b));
    });
  });
});
