/**
 * The guide `psabridge demo` prints once everything runs: where the bridge and the sandbox
 * listen, how to sign in, and ready-to-paste commands to look at the tickets from both sides.
 * Pure: it formats what it is given.
 */

/** What the guide shows. */
export interface GuideInput {
  /** The bridge's API, e.g. `http://127.0.0.1:8080`. */
  readonly apiUrl: string;
  /** The sandbox, e.g. `http://127.0.0.1:8787`. */
  readonly sandboxUrl: string;
  /** The sandbox's login company and codebase (`psademo`, `v2025_1/`). */
  readonly sandboxCompanyId: string;
  readonly sandboxCodebase: string;
  /** The sandbox's admin API member, to inspect it through its ConnectWise API. */
  readonly sandboxAdminKeys: { readonly publicKey: string; readonly privateKey: string };
  readonly clientId: string;
  /** The data directory as the user may type it (relative when under the working directory). */
  readonly dataDir: string;
  /** Whether the data directory is the default one (`./data`), so `doctor` needs no variable. */
  readonly defaultDataDir: boolean;
  readonly adminEmail: string | undefined;
  /** The admin's password when it is to be shown (first start, or given in the environment). */
  readonly password: string | undefined;
  /** The environment variable that sets the admin's password. */
  readonly passwordEnv: string | undefined;
  /** This demo's API token. */
  readonly apiToken: string;
  /** The ingest token the feed sends with. */
  readonly ingestToken: string;
  /** Whether the demo feed runs. */
  readonly feed: boolean;
}

/** The guide's lines. */
export function guideLines(input: GuideInput): string[] {
  const api = input.apiUrl;
  const cwApi = `${input.sandboxUrl}/${input.sandboxCodebase}apis/3.0`;
  const { publicKey, privateKey } = input.sandboxAdminKeys;
  const password = input.password ?? '<your password>';
  const doctor = input.defaultDataDir
    ? 'npx psabridge doctor'
    : `PSABRIDGE_DATA_DIR=${shellQuote(input.dataDir)} npx psabridge doctor`;
  const event = JSON.stringify({
    type: 'backup.failed',
    occurredAt: '2026-12-03T10:00:00Z',
    company: 'ACME',
    device: { id: 'acme-ws12', name: 'ACME-WS12' },
    job: { name: 'Nightly', errorCode: 'E_TIMEOUT' },
  });

  const lines = [
    '',
    'psabridge demo is running: backup events become ConnectWise tickets in the Manage sandbox.',
    '',
    `  Bridge API      ${api}    OpenAPI docs: ${api}/api/docs`,
    `  Manage sandbox  ${input.sandboxUrl}    (ConnectWise REST API 3.0 emulator, company ${input.sandboxCompanyId})`,
    `  Data            ${input.dataDir}  (SQLite database and master key)`,
  ];
  if (input.adminEmail !== undefined) {
    lines.push(
      input.password !== undefined
        ? `  Admin sign-in   ${input.adminEmail}  password ${input.password}` +
            (input.passwordEnv ? `   (shown once; ${input.passwordEnv} sets it)` : '')
        : `  Admin sign-in   ${input.adminEmail}  with the password printed at the first start` +
            (input.passwordEnv ? ` (set ${input.passwordEnv} to choose a new one)` : ''),
    );
  }
  lines.push(
    '',
    'Tickets the bridge made, with this demo’s API token:',
    `  curl -s -H 'Authorization: Bearer ${input.apiToken}' ${api}/api/v1/tickets`,
  );
  if (input.adminEmail !== undefined) {
    lines.push(
      '…or with a session:',
      `  curl -s -c demo.cookies -H 'Content-Type: application/json' -d '${JSON.stringify({ email: input.adminEmail, password })}' ${api}/api/v1/session`,
      `  curl -s -b demo.cookies ${api}/api/v1/tickets`,
    );
  }
  lines.push(
    'The same tickets inside ConnectWise (the sandbox), as its admin API member:',
    `  curl -s -u '${input.sandboxCompanyId}+${publicKey}:${privateKey}' -H 'clientId: ${input.clientId}' ${cwApi}/service/tickets`,
    'What would stop tickets, per company (Initech is inactive, Umbrella has no contact):',
    `  ${doctor}`,
    'Send a backup event yourself:',
    `  curl -s -H 'Authorization: Bearer ${input.ingestToken}' -H 'Content-Type: application/json' -d '${event}' ${api}/api/v1/events`,
    '',
    input.feed
      ? 'The demo feed sends events now; what the bridge does with them follows. Ctrl+C stops everything.'
      : 'The demo feed is off (--no-feed). Ctrl+C stops everything.',
    '',
  );
  return lines;
}

function shellQuote(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
