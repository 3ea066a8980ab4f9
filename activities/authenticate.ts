/**
 * Step 1: are both systems letting us in? Checks the Personio credentials and the JumpCloud
 * key before anything else runs, so a wrong secret ends the import in seconds with a
 * message that names the system and the fix. No token or secret leaves this activity.
 */
import { required, type ImportDeps } from './deps.js';
import { asActivity } from './failures.js';

export function createAuthenticateActivities(deps: Partial<ImportDeps>) {
  return {
    async checkCredentials(): Promise<void> {
      await asActivity(async () => {
        await required(deps.personio, 'Personio client').authenticate();
        await required(deps.jumpcloud, 'JumpCloud client').checkKey();
      });
    },
  };
}
