// The CLI's key storage, re-exported for main/ (which may import only the pool client of workers/).
export { keyFilePath, loadOrCreateKey } from '../mask/keyfile';
