/**
 * Both sandbox servers on loopback, as every test of the project's processes uses them
 * (test/helpers/real-processes.ts for the real processes, test/helpers/import-env.ts for a
 * worker in the test's own process). 50 employees (seed 7) unless the test says otherwise.
 */
import { createJumpCloudSandbox, type JumpCloudSandboxOptions } from '../../sandbox/jumpcloud/server.js';
import { createPersonioSandbox, type PersonioSandboxOptions } from '../../sandbox/personio/server.js';

export type PersonioSandbox = ReturnType<typeof createPersonioSandbox>;
export type JumpCloudSandbox = ReturnType<typeof createJumpCloudSandbox>;

export interface SandboxOptions {
  personio?: PersonioSandboxOptions;
  jumpcloud?: JumpCloudSandboxOptions;
  /** Called with the sandboxes before they listen (to add hooks that observe their side). */
  beforeListen?: (sandboxes: { personio: PersonioSandbox; jumpcloud: JumpCloudSandbox }) => void;
}

export async function startSandboxes(options: SandboxOptions = {}) {
  const personio = createPersonioSandbox({ employees: 50, seed: 7, ...options.personio });
  const jumpcloud = createJumpCloudSandbox(options.jumpcloud);
  options.beforeListen?.({ personio, jumpcloud });
  await personio.listen(0);
  await jumpcloud.listen(0);
  return {
    personio,
    jumpcloud,
    close: async () => {
      await personio.close();
      await jumpcloud.close();
    },
  };
}
