export {
  ConfigError,
  DEFAULT_CLIENT_ID,
  LOG_LEVELS,
  parseConfig,
  type Config,
  type ConfigEnv,
  type DatabaseTarget,
  type LogLevel,
} from './config.js';
export { loadConfigFromProcess } from './load.js';
