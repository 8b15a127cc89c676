/**
 * Configuration as code: a JSON file declaring what the console sets up (account, admin,
 * ConnectWise connection, service board, rules, companies, ingest token), with its secrets in
 * environment variables. See README.md for the format.
 */
export { applyConfigFile, type ApplyOptions, type ApplyResult } from './apply.js';
export {
  ConfigApplyError,
  ConfigFileError,
  ConfigSecretError,
  type ConfigFileIssue,
} from './errors.js';
export {
  loadConfigFile,
  parseConfigFile,
  readConfigSecrets,
  type ConfigSecrets,
  type SecretEnv,
} from './load.js';
export { configFileSchema, type ConfigFile, type ConfigFileCompany } from './schema.js';
