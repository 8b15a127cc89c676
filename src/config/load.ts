/**
 * The process edge: the one place that reads `process.env` (and `.env`). Entry points call
 * {@link loadConfigFromProcess}; everything else takes the returned {@link Config}.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseConfig, type Config } from './config.js';

/**
 * Loads `<cwd>/.env` into `process.env` when the file exists (variables already set win), then
 * parses the configuration.
 *
 * @param cwd the directory holding `.env`. Default `process.cwd()`.
 * @throws {ConfigError} listing every bad variable.
 */
export function loadConfigFromProcess(cwd: string = process.cwd()): Config {
  const envFile = path.join(cwd, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env, cwd);
}
