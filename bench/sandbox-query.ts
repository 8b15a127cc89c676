/**
 * Manage sandbox query benchmark: loads a 20,000-company, 100,000-ticket tenant, then times the
 * integration's typical list queries over HTTP, first through the secondary indexes and then
 * with indexes switched off (full scan) in the same run, and prints milliseconds per query.
 *
 * Run: npx tsx bench/sandbox-query.ts [--companies N] [--tickets N] [--runs N]
 */
import { DEMO_CREDENTIALS, generateLargeFixture, startSandbox } from '../src/sandbox/index.js';
import { basicAuth } from '../src/sandbox/test-support.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const companies = arg('companies', 20_000);
const tickets = arg('tickets', 100_000);
const runs = arg('runs', 40);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  let t = performance.now();
  const fixture = generateLargeFixture({ companies, tickets });
  const generated = performance.now() - t;
  t = performance.now();
  const sandbox = await startSandbox({ fixture });
  const loaded = performance.now() - t;
  console.log(
    `tenant: ${companies} companies, ${tickets} tickets (generated in ${generated.toFixed(0)} ms, loaded in ${loaded.toFixed(0)} ms)`,
  );

  const headers = {
    authorization: basicAuth(DEMO_CREDENTIALS.bridge.publicKey, DEMO_CREDENTIALS.bridge.privateKey),
    clientId: DEMO_CREDENTIALS.clientId,
  };
  const api = `${sandbox.url}/${DEMO_CREDENTIALS.codebase}apis/3.0`;
  const sample = [...sandbox.state.tickets.values()][Math.floor(tickets / 3)]!;
  const withXRef = [...sandbox.state.tickets.values()].find((x) => x.externalXRef)!;
  const ids = [...sandbox.state.tickets.values()]
    .filter((_, i) => i % 997 === 0)
    .slice(0, 50)
    .map((x) => x.id);
  const queries: [string, string][] = [
    [
      'open tickets of a company',
      `/service/tickets?conditions=company/id = ${sample.company.id} and closedFlag = false`,
    ],
    [
      'ticket by externalXRef',
      `/service/tickets?conditions=externalXRef = "${withXRef.externalXRef}"`,
    ],
    ['50 tickets by id', `/service/tickets?pageSize=100&conditions=id in (${ids.join(',')})`],
    [
      'company by identifier',
      '/company/companies?conditions=identifier = "C04321" and deletedFlag = false',
    ],
    [
      'count open on a board',
      `/service/tickets/count?conditions=board/id = 21 and status/id = ${sample.status.id}`,
    ],
    ['contacts of a company', `/company/contacts?conditions=company/id = ${sample.company.id}`],
  ];

  const time = async (path: string): Promise<{ ms: number[]; rows: number }> => {
    const url = `${api}${path.replace(/ /g, '%20').replace(/"/g, '%22')}`;
    let rows = 0;
    for (let i = 0; i < 3; i++) await (await fetch(url, { headers })).arrayBuffer();
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const res = await fetch(url, { headers });
      const body: unknown = await res.json();
      ms.push(performance.now() - start);
      if (res.status !== 200) {
        throw new Error(`${path} answered ${res.status}: ${JSON.stringify(body)}`);
      }
      rows = Array.isArray(body) ? body.length : Number((body as { count: number }).count);
    }
    return { ms: ms.sort((a, b) => a - b), rows };
  };

  const results: { name: string; rows: number; indexed: number[]; scan: number[] }[] = [];
  for (const [name, path] of queries) {
    sandbox.state.setBehaviour({ queryIndexes: true });
    const indexed = await time(path);
    sandbox.state.setBehaviour({ queryIndexes: false });
    const scan = await time(path);
    results.push({ name, rows: indexed.rows, indexed: indexed.ms, scan: scan.ms });
  }
  await sandbox.close();

  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (n: number) => n.toFixed(2).padStart(9);
  console.log(`\n${runs} requests per query over HTTP (ms per request)\n`);
  console.log(
    `${pad('query', 28)}${pad('rows', 7)}${'idx p50'.padStart(9)}${'idx p95'.padStart(9)}${'scan p50'.padStart(9)}${'scan p95'.padStart(9)}`,
  );
  for (const r of results) {
    console.log(
      `${pad(r.name, 28)}${pad(String(r.rows), 7)}${num(percentile(r.indexed, 50))}${num(percentile(r.indexed, 95))}${num(percentile(r.scan, 50))}${num(percentile(r.scan, 95))}`,
    );
  }
}

await main();
