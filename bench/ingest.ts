/**
 * Ingestion benchmark: starts the bridge's HTTP API on a real port over SQLite (and over
 * PostgreSQL when `PSABRIDGE_TEST_DATABASE_URL` or `DATABASE_URL` is set), sends backup events
 * through `POST /api/v1/events` from a few concurrent clients, and prints events per second and
 * p50/p95 request latency for each mode:
 *
 * - batches of 1,000 events as a JSON array, and as NDJSON;
 * - single events, one per request;
 * - baseline, in the same run: the same events stored one event per transaction (in-process,
 *   no HTTP), which is what ingestion would cost without multi-row statements.
 *
 * Each mode runs for a bounded number of requests or seconds, whichever ends first. Clients and
 * server share this process, so the figures are a floor for a server on its own. No assertions.
 *
 * Run: npx tsx bench/ingest.ts [--seconds N] [--batches N] [--singles N]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createAccount } from '../src/accounts/accounts.js';
import { buildApp } from '../src/api/app.js';
import { parseConfig } from '../src/config/config.js';
import { ingestEvents } from '../src/ingest/ingest-events.js';
import type { BackupEvent } from '../src/ingest/event-schema.js';
import { parseEventsBody } from '../src/ingest/parse-body.js';
import { createIngestToken } from '../src/ingest/tokens.js';
import { SecretBox } from '../src/secrets/secret-box.js';
import { openStorage, type Storage } from '../src/storage/open.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Upper bound of each mode, in seconds. */
const SECONDS = arg('seconds', 6);
/** Upper bound of batch requests per batch mode. */
const BATCHES = arg('batches', 60);
/** Upper bound of single-event requests. */
const SINGLES = arg('singles', 4000);
const BATCH_SIZE = 1000;
const BATCH_CLIENTS = 4;
const SINGLE_CLIENTS = 8;
const COMPANIES = 200;
const DEVICES_PER_COMPANY = 10;
const TYPES = ['backup.failed', 'backup.warning', 'backup.succeeded', 'backup.missed'] as const;

let sequence = 0;

/** A realistic event: a unique id, one of 200 companies and 2,000 devices, a job and a message. */
function makeEvent(): Record<string, unknown> {
  const n = sequence++;
  const company = n % COMPANIES;
  const device = Math.floor(n / COMPANIES) % DEVICES_PER_COMPANY;
  return {
    id: `bench-${process.pid}-${n}`,
    type: TYPES[n % TYPES.length],
    occurredAt: new Date(Date.UTC(2026, 11, 3, 10, 0, 0) + n * 1000).toISOString(),
    company: `Company ${company}`,
    device: {
      id: `dev-${company}-${device}`,
      name: `C${company}-SRV${device}`,
      os: 'Windows Server 2022',
    },
    job: {
      id: `job-${n}`,
      name: 'Nightly',
      errorCode: 'VSS_0x8004230f',
      startedAt: '2026-12-03T09:00:00Z',
      finishedAt: '2026-12-03T09:20:00Z',
      bytes: 1_048_576 + n,
      files: 120,
    },
    message: 'The volume shadow copy could not be created; the backup of C: did not run.',
  };
}

/** {@link BATCHES} batches of new events, validated as the endpoint validates them. */
function validatedBatches(): BackupEvent[][] {
  return Array.from({ length: BATCHES }, () => {
    const result = parseEventsBody({
      contentType: 'application/json',
      body: JSON.stringify(Array.from({ length: BATCH_SIZE }, makeEvent)),
    });
    if (!result.ok) throw new Error(`The benchmark's events are invalid: ${result.error.message}`);
    return result.events;
  });
}

interface Outcome {
  mode: string;
  requests: number;
  events: number;
  seconds: number;
  latenciesMs: number[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * Runs `clients` loops, each taking the next body until `total` requests are made or the time
 * is up, and records the latency of each request.
 */
async function drive(
  mode: string,
  clients: number,
  total: number,
  eventsPerRequest: number,
  send: (index: number) => Promise<void>,
): Promise<Outcome> {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total && performance.now() < deadline) {
        const index = next++;
        const t = performance.now();
        await send(index);
        latenciesMs.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    mode,
    requests: latenciesMs.length,
    events: latenciesMs.length * eventsPerRequest,
    seconds,
    latenciesMs,
  };
}

async function post(url: string, token: string, body: string, contentType: string): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`POST /api/v1/events answered ${res.status}: ${text}`);
}

async function benchStorage(label: string, storage: Storage): Promise<Outcome[]> {
  const app = await buildApp({
    storage,
    config: parseConfig({ PSABRIDGE_DATA_DIR: path.join(tmpdir(), 'psabridge-bench-unused') }),
    secretBox: new SecretBox({ current: new Uint8Array(randomBytes(32)) }),
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `${address}/api/v1/events`;
  const account = await createAccount(storage.db, { name: `bench ${label}` });
  const { token } = await createIngestToken(storage.db, account.id, 'bench');
  const outcomes: Outcome[] = [];

  try {
    // Bodies are made before the clock starts, so the figures are the server's.
    const arrays = Array.from({ length: BATCHES }, () =>
      JSON.stringify(Array.from({ length: BATCH_SIZE }, makeEvent)),
    );
    // Warm up: register the companies and devices, and let the JIT see the path.
    await post(url, token, arrays.pop() ?? '[]', 'application/json');
    outcomes.push(
      await drive(
        `HTTP JSON array of 1,000 (${BATCH_CLIENTS} clients)`,
        BATCH_CLIENTS,
        arrays.length,
        BATCH_SIZE,
        (i) => post(url, token, arrays[i] ?? '', 'application/json'),
      ),
    );

    const ndjson = Array.from({ length: BATCHES }, () =>
      Array.from({ length: BATCH_SIZE }, () => JSON.stringify(makeEvent())).join('\n'),
    );
    outcomes.push(
      await drive(
        `HTTP NDJSON of 1,000 (${BATCH_CLIENTS} clients)`,
        BATCH_CLIENTS,
        ndjson.length,
        BATCH_SIZE,
        (i) => post(url, token, ndjson[i] ?? '', 'application/x-ndjson'),
      ),
    );

    const singles = Array.from({ length: SINGLES }, () => JSON.stringify(makeEvent()));
    outcomes.push(
      await drive(
        `HTTP single events (${SINGLE_CLIENTS} clients)`,
        SINGLE_CLIENTS,
        singles.length,
        1,
        (i) => post(url, token, singles[i] ?? '', 'application/json'),
      ),
    );

    // Baseline: the same kind of batches, one event per transaction, no HTTP in the way.
    const oneByOne = validatedBatches().flat();
    outcomes.push(
      await drive(
        'baseline: 1 event per transaction (in-process, 1 caller)',
        1,
        oneByOne.length,
        1,
        async (i) => {
          await ingestEvents({ db: storage.db }, account.id, oneByOne.slice(i, i + 1));
        },
      ),
    );
    const batches = validatedBatches();
    outcomes.push(
      await drive(
        'in-process: 1,000 per transaction (1 caller)',
        1,
        batches.length,
        BATCH_SIZE,
        async (i) => {
          await ingestEvents({ db: storage.db }, account.id, batches[i] ?? []);
        },
      ),
    );
  } finally {
    await app.close();
  }
  return outcomes;
}

function print(label: string, outcomes: Outcome[]): void {
  console.log(`\n${label}`);
  console.log(
    `  ${'mode'.padEnd(58)} ${'requests'.padStart(8)} ${'events'.padStart(8)} ${'events/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`,
  );
  for (const o of outcomes) {
    const sorted = [...o.latenciesMs].sort((a, b) => a - b);
    console.log(
      `  ${o.mode.padEnd(58)} ${String(o.requests).padStart(8)} ${String(o.events).padStart(8)} ${(o.events / o.seconds).toFixed(0).padStart(9)} ${percentile(sorted, 50).toFixed(1).padStart(8)} ${percentile(sorted, 95).toFixed(1).padStart(8)}`,
    );
  }
}

/** A fresh database on the server of `url` when the role may create one, else `url` itself. */
async function scratchPostgres(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `psabridge_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } catch {
    await admin.end();
    return { url, drop: () => Promise.resolve() };
  }
  await admin.end();
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

async function main(): Promise<void> {
  console.log(
    `Ingestion benchmark: each mode stops after ${SECONDS} s or its request budget (${BATCHES} batches, ${SINGLES} single events).`,
  );

  const dir = await mkdtemp(path.join(tmpdir(), 'psabridge-bench-'));
  try {
    const sqlite = await openStorage({ sqlitePath: path.join(dir, 'bench.db') });
    try {
      print('SQLite (WAL, synchronous=NORMAL)', await benchStorage('sqlite', sqlite));
    } finally {
      await sqlite.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const pgUrl = process.env['PSABRIDGE_TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
  if (!pgUrl) {
    console.log('\nPostgreSQL: skipped (set PSABRIDGE_TEST_DATABASE_URL or DATABASE_URL).');
    return;
  }
  const scratch = await scratchPostgres(pgUrl);
  try {
    const postgres = await openStorage({ databaseUrl: scratch.url });
    try {
      print('PostgreSQL', await benchStorage('postgres', postgres));
    } finally {
      await postgres.close();
    }
  } finally {
    await scratch.drop();
  }
}

await main();
