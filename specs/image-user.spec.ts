// The image's USER: what ImageStatus reports (uid or username) and whom a container from the image
// runs as. The four user images are shared read-only (pulled once per run, never removed by a test).
// In each image /etc/passwd has `crit:x:1234:5678` and /etc/group has `critgrp:x:5678:`.
import { expect } from 'chai';
import {
  containerConfig,
  cri,
  ctx,
  ensureImage,
  itId,
  rpc,
  setup,
  shellIn,
  useScope,
  useWorkerPod,
  withImage,
} from '../src/framework/index.js';

type UserImageKey = 'userUid' | 'userName' | 'userUidGid' | 'userNameGroup';

interface UserCase {
  key: UserImageKey;
  user: string;
  /** What Image.uid / Image.username should say. */
  uid: string | null;
  username: string;
}

const CASES: UserCase[] = [
  { key: 'userUid', user: '1234', uid: '1234', username: '' },
  { key: 'userName', user: 'crit', uid: null, username: 'crit' },
  { key: 'userUidGid', user: '1234:5678', uid: '1234', username: '' },
  { key: 'userNameGroup', user: 'crit:critgrp', uid: null, username: 'crit' },
];

const refOf = (key: UserImageKey): string => ctx().images[key];

describe('Image', function () {
  const scope = useScope();

  rpc('ImageStatus', function () {
    for (const c of CASES) {
      // api.proto Image.uid: "UID that will run the command(s) ... UID and the following user
      // name are mutually exclusive." Image.username: "User name that will run the command(s).
      // This is used if UID is not set". A USER `name:group` names the user `name`.
      itId(
        `image-status.user-${c.user.replace(':', '-')}`,
        `reports ${c.uid === null ? `username ${c.username}` : `uid ${c.uid}`} for an image whose USER is ${c.user}`,
        async function () {
          const ref = refOf(c.key);
          await setup(`image ${ref}`, ensureImage(ref));

          const { image } = await cri().image.ImageStatus({ image: { image: ref } });

          expect(image, `ImageStatus(${ref}).image`).to.not.equal(null);
          expect(image!.uid?.value ?? null, `ImageStatus(${ref}).image.uid.value (USER ${c.user})`).to.equal(c.uid);
          expect(image!.username, `ImageStatus(${ref}).image.username (USER ${c.user})`).to.equal(c.username);
        },
      );
    }
  });

  rpc('CreateContainer', function () {
    const userPod = useWorkerPod();

    for (const c of CASES) {
      // OCI image-spec config.User: "the username or UID which is a platform-specific structure
      // that allows specific control over which user the process run as ... If group/gid is not
      // specified, the default group and supplementary groups of the given user/uid in /etc/passwd
      // and /etc/group from the container are applied." A container without run_as_user runs so.
      it(`runs a container from an image whose USER is ${c.user} as uid 1234 gid 5678 [linux]`, async function () {
        const ref = refOf(c.key);
        await setup(`image ${ref}`, ensureImage(ref));
        const pod = await userPod.get();
        const config = containerConfig(`user-${c.key}`, withImage(ref));

        const { container_id } = await cri().runtime.CreateContainer({
          pod_sandbox_id: pod.id,
          config,
          sandbox_config: pod.config,
        });
        scope.trackContainer(container_id);
        await setup('StartContainer', cri().runtime.StartContainer({ container_id }, { role: 'setup' }));

        const id = await shellIn(container_id, 'echo "$(id -u) $(id -g)"');
        expect(
          id.stdout.trim(),
          `uid and gid inside a container of ${ref} (USER ${c.user}; stderr ${JSON.stringify(id.stderr)})`,
        ).to.equal('1234 5678');
      });
    }
  });
});
