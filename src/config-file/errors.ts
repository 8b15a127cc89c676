/** Errors of configuration files: each names the JSON path it is about and what to do. */

/** One problem at one place of the file. */
export interface ConfigFileIssue {
  /** Dotted JSON path, e.g. `connectwise.privateKeyEnv` or `companies.2.name`; empty: the file. */
  readonly path: string;
  readonly message: string;
}

const listed = (issues: readonly ConfigFileIssue[]): string =>
  issues
    .map((issue) => `  ${issue.path === '' ? '(file)' : issue.path}: ${issue.message}`)
    .join('\n');

/** The file cannot be read, is not JSON, or does not match the format. Nothing was applied. */
export class ConfigFileError extends Error {
  override name = 'ConfigFileError';

  constructor(
    readonly file: string,
    readonly issues: readonly ConfigFileIssue[],
    options?: { cause?: unknown },
  ) {
    super(
      `The configuration file ${file} is not valid:\n${listed(issues)}\nFix these and try again (the format is described in src/config-file/README.md).`,
      options,
    );
  }
}

/** An environment variable the file names is missing or empty. Nothing was applied. */
export class ConfigSecretError extends ConfigFileError {
  override name = 'ConfigSecretError';
}

/**
 * Applying one part of the file failed (ConnectWise refused the keys, a board name does not
 * exist, a mapping names no company…). Parts before it were applied; fix it and apply again.
 */
export class ConfigApplyError extends Error {
  override name = 'ConfigApplyError';

  constructor(
    readonly issues: readonly ConfigFileIssue[],
    options: { cause: unknown },
  ) {
    super(
      `The configuration could not be applied:\n${listed(issues)}\nFix these and apply the file again; what was applied before stays.`,
      options,
    );
  }
}
