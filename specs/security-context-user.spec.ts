// LinuxContainerSecurityContext identity: run_as_user, run_as_group, run_as_username,
// supplemental_groups and their policy, observed with `id` and /proc/self/status in the container.
import { expect } from 'chai';
import {
  containerConfig,
  createRequest,
  cri,
  ctx,
  expectError,
  itId,
  perTest,
  PROC_STATUS,
  type ProcStatus,
  procStatusFrom,
  requireReported,
  rpc,
  runningIn,
  runUnderTestIn,
  shellParts,
  useScope,
  useWorkerPod,
  withImage,
  withSecurityContext,
} from '../src/framework/index.js';

describe('Security context', function () {
  const scope = useScope();
  const pod = useWorkerPod();
  // The two supplemental_groups tests under the default policy read different facts of one config.
  const supplemental = perTest(
    runningIn(
      pod,
      'supplemental',
      withSecurityContext({ run_as_user: { value: '1234' }, supplemental_groups: ['1111', '2222'] }),
    ),
  );

  /** `id -u`, `id -g`, `id -G` of a process in the container. */
  function idFrom(
    res: { exitCode: number; stdout: string },
    stderr: string,
  ): { uid: string; gid: string; groups: string[] } {
    expect(res.exitCode, `exit code of id (stderr: ${stderr})`).to.equal(0);
    const [ids, groups] = res.stdout.trim().split('\n');
    const [uid, gid] = ids.split(' ');
    return { uid, gid, groups: groups.trim().split(/\s+/) };
  }
  const ID = 'echo "$(id -u) $(id -g)"; id -G';

  async function idOf(id: string): Promise<{ uid: string; gid: string; groups: string[] }> {
    const { parts, stderr } = await shellParts(id, { id: ID });
    return idFrom(parts.id, stderr);
  }

  /** `idOf`, and the /proc/<pid>/status of another process (`cat`) in the container, with one ExecSync. */
  async function idAndStatusOf(
    id: string,
  ): Promise<{ uid: string; gid: string; groups: string[]; status: ProcStatus }> {
    const { parts, stderr } = await shellParts(id, { id: ID, status: PROC_STATUS });
    if (parts.status.exitCode !== 0) throw new Error(`${PROC_STATUS} exited ${parts.status.exitCode}: ${stderr}`);
    return { ...idFrom(parts.id, stderr), status: procStatusFrom(parts.status.stdout) };
  }

  rpc('CreateContainer', function () {
    // api.proto LinuxContainerSecurityContext.run_as_user: "UID to run the container process as."
    itId(
      'create-container.runs-container-process-run-user',
      'runs the container process as run_as_user [linux]',
      async function () {
        const id = await runUnderTestIn(
          scope,
          pod,
          'run-as-user',
          withSecurityContext({ run_as_user: { value: '1234' } }),
        );
        const { uid, status } = await idAndStatusOf(id);
        expect(uid, '`id -u` in a container with run_as_user 1234').to.equal('1234');
        expect(status.fields.Uid, '/proc/self/status Uid (real, effective, saved, fs)').to.match(
          /^1234\s+1234\s+1234\s+1234$/,
        );
      },
      { feature: 'config.linux.security_context.run_as_user' },
    );

    // api.proto run_as_group: "GID to run the container process as."
    itId(
      'create-container.runs-container-process-run-group-primary',
      'runs the container process with run_as_group as its primary group [linux]',
      async function () {
        const id = await runUnderTestIn(
          scope,
          pod,
          'run-as-group',
          withSecurityContext({ run_as_user: { value: '1234' }, run_as_group: { value: '4321' } }),
        );
        const { uid, gid, status } = await idAndStatusOf(id);
        expect(uid, '`id -u` with run_as_user 1234').to.equal('1234');
        expect(gid, '`id -g` with run_as_group 4321').to.equal('4321');
        expect(status.fields.Gid, '/proc/self/status Gid (real, effective, saved, fs)').to.match(
          /^4321\s+4321\s+4321\s+4321$/,
        );
      },
      { feature: 'config.linux.security_context.run_as_group' },
    );

    // api.proto run_as_group: "run_as_group should only be specified when run_as_user or
    // run_as_username is specified; otherwise, the runtime MUST error."
    itId(
      'create-container.rejects-run-group-without-run-user',
      'rejects run_as_group without run_as_user or run_as_username [linux]',
      async function () {
        const req = await createRequest(
          await pod.get(),
          containerConfig('group-alone', withSecurityContext({ run_as_group: { value: '4321' } })),
        );
        const err = await expectError(
          cri()
            .runtime.CreateContainer(req)
            .then((res) => {
              scope.trackContainer(res.container_id);
              return res;
            }),
          'CreateContainer with run_as_group but no run_as_user',
        );
        expect(err.rpc, 'the failing RPC').to.equal('CreateContainer');
      },
      { feature: 'config.linux.security_context.run_as_group' },
    );

    // api.proto run_as_username: "the user MUST exist in the container image (i.e. in the
    // /etc/passwd inside the image), and be resolved there by the runtime".
    itId(
      'create-container.resolves-run-username-image-etc-passwd',
      'resolves run_as_username in the image /etc/passwd [linux]',
      async function () {
        const id = await runUnderTestIn(
          scope,
          pod,
          'run-as-username',
          withSecurityContext({ run_as_username: 'crit' }),
        );
        const { uid, gid } = await idOf(id);
        expect(uid, '`id -u` with run_as_username crit (crit:x:1234:5678 in the image)').to.equal('1234');
        expect(gid, '`id -g` with run_as_username crit').to.equal('5678');
      },
      { feature: 'config.linux.security_context.run_as_username' },
    );

    // api.proto run_as_username: "If specified, the user MUST exist in the container image ...
    // otherwise, the runtime MUST error."
    itId(
      'create-container.rejects-run-username-image-does-not',
      'rejects a run_as_username that the image does not define [linux]',
      async function () {
        const req = await createRequest(
          await pod.get(),
          containerConfig('unknown-username', withSecurityContext({ run_as_username: 'crit-no-such-user' })),
        );
        // A runtime may resolve the user when it starts the process: then StartContainer fails.
        const createAndStart = cri()
          .runtime.CreateContainer(req)
          .then(async ({ container_id: id }) => {
            scope.trackContainer(id);
            await cri().runtime.StartContainer({ container_id: id });
          });
        const err = await expectError(
          createAndStart,
          'CreateContainer or StartContainer with an unknown run_as_username',
        );
        expect(['CreateContainer', 'StartContainer'], `the RPC that failed (${err.message})`).to.include(err.rpc);
      },
      { feature: 'config.linux.security_context.run_as_username' },
    );

    // api.proto run_as_user "UID to run the container process as" wins over the image's USER.
    itId(
      'create-container.runs-run-user-instead-image-user',
      'runs as run_as_user instead of the image USER [linux]',
      async function () {
        const id = await runUnderTestIn(
          scope,
          pod,
          'override-user',
          withImage(ctx().images.userUid),
          withSecurityContext({ run_as_user: { value: '4321' } }),
        );
        const { uid } = await idOf(id);
        expect(uid, '`id -u` with run_as_user 4321 over an image whose USER is 1234').to.equal('4321');
      },
      { feature: 'config.linux.security_context.run_as_user' },
    );

    it('runs as the image USER user:group when the security context names no user [linux]', async function () {
      const id = await runUnderTestIn(scope, pod, 'image-user', withImage(ctx().images.userNameGroup));
      const { uid, gid } = await idOf(id);
      expect(uid, '`id -u` for image USER crit:critgrp').to.equal('1234');
      expect(gid, '`id -g` for image USER crit:critgrp').to.equal('5678');
    });

    // api.proto supplemental_groups: "List of groups applied to the first process run in each container."
    itId(
      'create-container.adds-supplemental-groups-container-process',
      'adds supplemental_groups to the container process [linux]',
      async function () {
        const { id } = await supplemental.get();
        const { groups, status } = await idAndStatusOf(id);
        expect(groups, '`id -G` with supplemental_groups [1111, 2222]').to.include.members(['1111', '2222']);
        expect(status.fields.Groups.split(/\s+/), '/proc/self/status Groups').to.include.members(['1111', '2222']);
      },
      { feature: 'config.linux.security_context.supplemental_groups' },
    );

    // api.proto supplemental_groups_policy: "If not specified, "Merge" is used." Merge: "the
    // container's provided SupplementalGroups ... will be merged with the primary user's groups as
    // defined in the container image (in /etc/group)".
    itId(
      'create-container.merges-supplemental-groups-image-etc-group',
      'merges supplemental_groups with the image /etc/group groups of the user by default [linux]',
      async function () {
        const { id } = await supplemental.get();
        const { groups } = await idOf(id);
        expect(
          groups,
          '`id -G` for uid 1234 (member of critextra 5679 in the image) with supplemental_groups [1111, 2222], no policy',
        ).to.include.members(['1111', '5679']);
      },
      { feature: 'config.linux.security_context.supplemental_groups' },
    );

    // api.proto Strict: "the container's provided SupplementalGroups ... will be used instead of any
    // groups defined in the container image"; RuntimeFeatures.supplemental_groups_policy: "set to
    // true if the runtime supports SupplementalGroupsPolicy".
    itId(
      'create-container.uses-only-given-supplemental-groups-under',
      'uses only the given supplemental_groups under policy Strict [linux] [optional]',
      async function () {
        const { features } = await cri().runtime.Status({ verbose: false }, { role: 'setup' });
        requireReported(
          this,
          'Status.features',
          features?.supplemental_groups_policy === true,
          'Status did not report features.supplemental_groups_policy',
        );
        const id = await runUnderTestIn(
          scope,
          pod,
          'groups-strict',
          withSecurityContext({
            run_as_user: { value: '1234' },
            supplemental_groups: ['1111'],
            supplemental_groups_policy: 'Strict',
          }),
        );
        const { groups } = await idOf(id);
        expect(groups, '`id -G` under Strict with supplemental_groups [1111]').to.include('1111');
        expect(groups, '`id -G` under Strict must not hold the image group critextra 5679').to.not.include('5679');
        const { status } = await cri().runtime.ContainerStatus({ container_id: id });
        expect(
          status?.user?.linux?.supplemental_groups ?? [],
          'ContainerStatus.user.linux.supplemental_groups',
        ).to.not.include('5679');
      },
      { feature: 'config.linux.security_context.supplemental_groups_policy' },
    );
  });
});
