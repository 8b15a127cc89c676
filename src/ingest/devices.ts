/**
 * The devices events name (`devices`): registered on first sight, with name, OS and when the
 * bridge last heard of them kept current. Part of the ingestion transaction.
 *
 * Most events name devices the bridge already knows, with nothing new about them, so the common
 * case is one indexed read and no write: a device row is written only when it is new, its name or
 * OS changed, or its `last_seen_at` is older than {@link DEVICE_SEEN_RESOLUTION_MS}.
 */
import { sql, type Kysely } from 'kysely';
import { toIso } from '../storage/columns.js';
import { newId } from '../storage/ids.js';
import type { Database } from '../storage/schema.js';
import type { BackupEvent } from './event-schema.js';
import { statementChunks } from './statement-chunks.js';

/** `devices.last_seen_at` is moved forward at most this often per device: 60 000 ms. */
export const DEVICE_SEEN_RESOLUTION_MS = 60_000;

/** A device of one company: the `companies.id` and the event's `device.id`. */
export function deviceKeyOf(companyId: string, deviceKey: string): string {
  // Company ids are `cmp_` + 26 base-32 characters, so the first `|` always ends them.
  return `${companyId}|${deviceKey}`;
}

interface WantedDevice {
  companyId: string;
  deviceKey: string;
  name: string | undefined;
  os: string | undefined;
}

// Columns per row: 2 for the look-up, 8 for the upsert.
const LOOKUP_COLUMNS = 2;
const DEVICE_COLUMNS = 8;

/**
 * Registers the devices of `events` (each `device.id` within its company) and returns their
 * `devices.id` by {@link deviceKeyOf}. A known device keeps its id; a name or OS an event
 * carries replaces the stored one (the last of the request wins), and `last_seen_at` only moves
 * forward.
 *
 * Race-safe on both databases: the write is one upsert on the unique index (`company_id`,
 * `device_key`), so a device registered meanwhile by a concurrent request is updated, not
 * doubled. Rows go in key order, so concurrent requests lock shared devices in the same order
 * and PostgreSQL cannot deadlock between them.
 *
 * @param companyIds event `company` → `companies.id`, for every company of `events`.
 * @param seenAt the time of receipt: the sender's clock may be wrong, the bridge's is not.
 */
export async function registerDevices(
  trx: Kysely<Database>,
  accountId: string,
  events: readonly BackupEvent[],
  companyIds: ReadonlyMap<string, string>,
  seenAt: Date,
): Promise<Map<string, string>> {
  // One entry per device, in key order; later events of the request bring the name and OS.
  const byKey = new Map<string, WantedDevice>();
  for (const event of events) {
    const companyId = companyIds.get(event.company);
    if (companyId === undefined) {
      throw new Error(`registerDevices: company ${JSON.stringify(event.company)} has no id`);
    }
    const key = deviceKeyOf(companyId, event.device.id);
    const known = byKey.get(key);
    byKey.set(key, {
      companyId,
      deviceKey: event.device.id,
      name: event.device.name ?? known?.name,
      os: event.device.os ?? known?.os,
    });
  }
  const wanted = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  // What is stored already: one indexed read per chunk of row values.
  const ids = new Map<string, string>();
  const at = toIso(seenAt);
  const stale = toIso(new Date(seenAt.getTime() - DEVICE_SEEN_RESOLUTION_MS));
  const toWrite: WantedDevice[] = [];
  for (const chunk of statementChunks(wanted, LOOKUP_COLUMNS)) {
    const pairs = chunk.map(([, d]) => sql`(${d.companyId}, ${d.deviceKey})`);
    const stored = await trx
      .selectFrom('devices')
      .select(['id', 'company_id', 'device_key', 'name', 'os', 'last_seen_at'])
      .where(sql<boolean>`(company_id, device_key) in (values ${sql.join(pairs)})`)
      .execute();
    const storedByKey = new Map(
      stored.map((row) => [deviceKeyOf(row.company_id, row.device_key), row]),
    );
    for (const [key, device] of chunk) {
      const row = storedByKey.get(key);
      const unchanged =
        row !== undefined &&
        (device.name === undefined || device.name === row.name) &&
        (device.os === undefined || device.os === row.os) &&
        row.last_seen_at >= stale;
      if (unchanged) ids.set(key, row.id);
      else toWrite.push(device);
    }
  }

  // New, changed and stale devices: one upsert per chunk.
  const rows = toWrite.map((device) => ({
    id: newId('dev', seenAt.getTime()),
    account_id: accountId,
    company_id: device.companyId,
    device_key: device.deviceKey,
    name: device.name ?? null,
    os: device.os ?? null,
    first_seen_at: at,
    last_seen_at: at,
  }));
  for (const chunk of statementChunks(rows, DEVICE_COLUMNS)) {
    const stored = await trx
      .insertInto('devices')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['company_id', 'device_key']).doUpdateSet({
          name: sql<string | null>`coalesce(excluded.name, devices.name)`,
          os: sql<string | null>`coalesce(excluded.os, devices.os)`,
          last_seen_at: sql<string>`case when excluded.last_seen_at > devices.last_seen_at
            then excluded.last_seen_at else devices.last_seen_at end`,
        }),
      )
      .returning(['id', 'company_id', 'device_key'])
      .execute();
    for (const row of stored) ids.set(deviceKeyOf(row.company_id, row.device_key), row.id);
  }
  return ids;
}
