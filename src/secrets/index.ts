export { MasterKeyError, SecretDecryptError } from './errors.js';
export { hashToken, sha256Hex } from './hashing.js';
export { loadMasterKey, readOrCreateKeyFile, type MasterKeyOptions } from './master-key.js';
export { hashPassword, verifyNothing, verifyPassword } from './passwords.js';
export { SecretBox, keyIdOf, type SecretBoxKeys } from './secret-box.js';
export { TOKEN_PREFIX, generateToken, tokenHint } from './tokens.js';
