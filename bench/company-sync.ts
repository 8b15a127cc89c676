/**
 * Company sync benchmark: a sandbox tenant of 20,000 companies (and their contacts), synced into
 * a fresh database by `syncCompanies`, and printed as companies per second. In the same run, the
 * baseline writes the same walk row by row (one upsert statement and transaction per company),
 * which is what the sync would cost without batched upserts. Runs over SQLite, and over
 * PostgreSQL too when `PSABRIDGE_TEST_DATABASE_URL` is set. No assertions.
 *
 * Run: npx tsx bench/company-sync.ts [--companies N]
 */
import { createAccount } from '../src/accounts/accounts.js';
import { syncCompanies, type CompanySyncResult } from '../src/companies/sync.js';
import { sandboxClient } from '../src/companies/testing.js';
import { generateLargeFixture, startSandbox } from '../src/sandbox/index.js';
import type { Dialect } from '../src/storage/migrate.js';
import { openTestStorage, testPostgresUrl } from '../src/storage/testing.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const COMPANIES = arg('companies', 20_000);

async function timeSync(
  dialect: Dialect,
  url: string,
  upsertBatchSize: number,
): Promise<CompanySyncResult> {
  const opened = await openTestStorage(dialect);
  const { storage } = opened;
  try {
    const account = await createAccount(storage.db, { name: 'Bench MSP' });
    return await syncCompanies({ db: storage.db, client: sandboxClient({ url }) }, account.id, {
      upsertBatchSize,
    });
  } finally {
    await opened.dispose();
  }
}

function line(label: string, result: CompanySyncResult): string {
  const perSecond = (result.companies / result.durationMs) * 1000;
  return `  ${label.padEnd(32)} ${String(result.durationMs).padStart(7)} ms  ${perSecond.toFixed(0).padStart(8)} companies/s`;
}

async function main(): Promise<void> {
  const fixture = generateLargeFixture({ companies: COMPANIES, tickets: 0 });
  const sandbox = await startSandbox({ fixture });
  console.log(
    `tenant: ${COMPANIES} companies, ${fixture.contacts?.length ?? 0} contacts (sandbox over HTTP, forward-only pages of 1,000)`,
  );
  try {
    const dialects: Dialect[] =
      testPostgresUrl() === undefined ? ['sqlite'] : ['sqlite', 'postgres'];
    for (const dialect of dialects) {
      console.log(`${dialect}:`);
      // A first run warms the sandbox and the module caches; it is not reported.
      await timeSync(dialect, sandbox.url, 1_000);
      console.log(
        line('batched upserts (1,000 a statement)', await timeSync(dialect, sandbox.url, 1_000)),
      );
      console.log(line('baseline: row by row', await timeSync(dialect, sandbox.url, 1)));
    }
  } finally {
    await sandbox.close();
  }
}

await main();
