import type { SecretProvider } from '../../../main/api';
import { loadOrCreateKey } from '../../../workers/pool/keys';

/** The CLI's key files (`<workspace>.key`, mode 600): the host has no Electron safeStorage. */
export const keyFileSecrets: SecretProvider = {
  async secretFor(workspace, { create }) {
    return loadOrCreateKey(workspace, { create }).secret;
  },
};
