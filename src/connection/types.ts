/** The connection part's public shapes: credentials, check reports, saved views, board settings. */
import type { Kysely } from 'kysely';

import type { Config } from '../config/config.js';
import type { RetryPolicy } from '../connectwise/client/index.js';
import type { ModuleFunctionKey, PermissionAction } from '../connectwise/permissions.js';
import type { Severity } from '../domain/conditions.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Database } from '../storage/schema.js';
import type { ConnectionProblem } from './failure.js';

/** What an administrator enters in Settings › ConnectWise Manage. */
export interface ConnectionInput {
  /** As typed: `na.myconnectwise.net`, `cw.example.com`, `http://127.0.0.1:8080` (sandbox). */
  readonly site: string;
  /** The login company id, case-sensitive. */
  readonly companyId: string;
  readonly publicKey: string;
  readonly privateKey: string;
}

/**
 * A saved connection's credentials, decrypted. They never leave the process: no API answer, log
 * line or event carries `privateKey`.
 */
export interface ManageCredentials {
  readonly site: string;
  /** The origin the site resolved to, e.g. `https://api-na.myconnectwise.net`. */
  readonly apiBase: string;
  readonly companyId: string;
  readonly publicKey: string;
  readonly privateKey: string;
  /** The codebase found by the last check, e.g. `v2025_1/`. */
  readonly codebase: string;
}

/** How clients this part opens talk to ConnectWise (see `ManageClientOptions`). */
export interface ManageClientTuning {
  /** Per-attempt timeout. Default: the client's (30,000 ms). */
  readonly timeoutMs?: number;
  /** Retry policy overrides. Default: the client's. */
  readonly retry?: Partial<RetryPolicy>;
  /** Accept `http://` for hosts other than loopback (a sandbox in another container). Default false. */
  readonly allowInsecureHttp?: boolean;
}

/** What the connection functions need. */
export interface ConnectionDeps {
  readonly db: Kysely<Database>;
  /** Encrypts the private key at rest (context `connectwise:<accountId>`). */
  readonly secretBox: SecretBox;
  /** `clientId`: the integration's GUID sent on every ConnectWise call. */
  readonly config: Pick<Config, 'clientId'>;
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** Timeouts and retries of the clients opened. Default: the client's own defaults. */
  readonly manage?: ManageClientTuning;
}

/** The three steps of "Authenticate", in the order they run. */
export type CheckStepName = 'site' | 'keys' | 'permissions';

/** One step's outcome; a step after a failed one is `skipped`. */
export interface CheckStep {
  readonly name: CheckStepName;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly message: string;
}

/** One required permission as the check found it. */
export interface PermissionLine {
  readonly fn: ModuleFunctionKey;
  readonly action: PermissionAction;
  /** Where it is granted, e.g. `Service Desk › Service Tickets › Add Level: All`. */
  readonly label: string;
  /** `unchecked`: the probe got no usable answer (or an earlier step failed); see `message`. */
  readonly status: 'granted' | 'missing' | 'unchecked';
  readonly message: string;
}

/** The outcome of {@link checkPermissions}: one line per required permission, in the page's order. */
export interface PermissionReport {
  readonly ok: boolean;
  readonly lines: readonly PermissionLine[];
  readonly problems: readonly ConnectionProblem[];
}

/** Everything "Authenticate" found: shown line by line in the console, stored with the connection. */
export interface ConnectionCheckReport {
  readonly ok: boolean;
  readonly checkedAt: string;
  readonly site: string;
  readonly companyId: string;
  /** Null when the site could not be resolved. */
  readonly apiBase: string | null;
  /** From `/login/companyinfo`; null when that step failed. */
  readonly codebase: string | null;
  /** The company name ConnectWise knows the company id by. */
  readonly companyName: string | null;
  /** From `/system/info`, e.g. `v2025.1.10431`. */
  readonly version: string | null;
  readonly steps: readonly CheckStep[];
  readonly permissions: readonly PermissionLine[];
  /** Empty exactly when `ok`. */
  readonly problems: readonly ConnectionProblem[];
}

export type ConnectionStatus = 'ok' | 'broken';

/** A saved connection as shown: the public key masked, the private key never. */
export interface ConnectionView {
  readonly site: string;
  readonly companyId: string;
  /** e.g. `Demo••••••••001`. */
  readonly publicKeyMasked: string;
  readonly apiBase: string;
  readonly codebase: string;
  readonly status: ConnectionStatus;
  readonly lastCheck: ConnectionCheckReport | null;
  readonly checkedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A ConnectWise record as the settings keep it: the id it is written with, the name people read. */
export interface NamedRef {
  readonly id: number;
  readonly name: string;
}

/** The ConnectWise priority used per severity. */
export type PriorityMap<T> = { readonly [S in Severity]: T };

/** Where and how the bridge writes tickets. */
export interface BoardSettings {
  readonly board: NamedRef;
  readonly type: NamedRef;
  /** Null: tickets carry no subtype. */
  readonly subtype: NamedRef | null;
  /** Null: tickets carry no item. */
  readonly item: NamedRef | null;
  /** The status new tickets get (and reopened ones return to). */
  readonly newStatus: NamedRef;
  /** The status the bridge closes tickets with; a closed status of the board. */
  readonly closedStatus: NamedRef;
  /** Null: the board's default team, which ConnectWise assigns when a ticket names none. */
  readonly team: NamedRef | null;
  readonly priorities: PriorityMap<NamedRef>;
  readonly updatedAt: string;
}

/** Board settings as chosen by id (the console and the API). */
export interface BoardSelection {
  readonly boardId: number;
  readonly typeId: number;
  readonly subtypeId: number | null;
  readonly itemId: number | null;
  readonly newStatusId: number;
  readonly closedStatusId: number;
  /** Null: the board's default team. */
  readonly teamId: number | null;
  readonly priorities: PriorityMap<number>;
}

/** Board settings as chosen by name (configuration as code). Names match ignoring case. */
export interface BoardSelectionByName {
  readonly board: string;
  readonly type: string;
  readonly subtype?: string | null;
  readonly item?: string | null;
  readonly newStatus: string;
  readonly closedStatus: string;
  /** Omitted or null: the board's default team. */
  readonly team?: string | null;
  /** Priority names per severity, e.g. `{ critical: 'Priority 1 - Critical', … }`. */
  readonly priorities: PriorityMap<string>;
}
