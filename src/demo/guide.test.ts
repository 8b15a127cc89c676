import { describe, expect, it } from 'vitest';

import { DEMO_CREDENTIALS } from '../sandbox/index.js';
import { guideLines, type GuideInput } from './guide.js';
import { formatHappening, type Happening } from './happenings.js';

const INPUT: GuideInput = {
  apiUrl: 'http://127.0.0.1:8080',
  sandboxUrl: 'http://127.0.0.1:8787',
  sandboxCompanyId: 'psademo',
  sandboxCodebase: 'v2025_1/',
  sandboxAdminKeys: DEMO_CREDENTIALS.admin,
  clientId: DEMO_CREDENTIALS.clientId,
  dataDir: './data',
  defaultDataDir: true,
  adminEmail: 'admin@demo.local',
  password: 'Gen3ratedPassw0rd1',
  passwordEnv: 'PSABRIDGE_DEMO_PASSWORD',
  apiToken: 'psb_api',
  ingestToken: 'psb_ingest',
  feed: true,
};

describe('guideLines', () => {
  it('gives ready-to-paste commands for both sides and the doctor', () => {
    const text = guideLines(INPUT).join('\n');
    expect(text).toContain('OpenAPI docs: http://127.0.0.1:8080/api/docs');
    expect(text).toContain(
      "curl -s -H 'Authorization: Bearer psb_api' http://127.0.0.1:8080/api/v1/tickets",
    );
    expect(text).toContain(
      "curl -s -u 'psademo+AdminPublicKey01:AdminPrivateKey1' -H 'clientId: 8d4a1f6e-2b3c-4d5e-9f70-1a2b3c4d5e6f' http://127.0.0.1:8787/v2025_1/apis/3.0/service/tickets",
    );
    expect(text).toContain('  npx psabridge doctor');
    expect(text).toContain('admin@demo.local  password Gen3ratedPassw0rd1');
  });

  it('does not invent a password it does not know, and names the data directory for the doctor', () => {
    const text = guideLines({
      ...INPUT,
      password: undefined,
      dataDir: '/tmp/my data',
      defaultDataDir: false,
      feed: false,
    }).join('\n');
    expect(text).toContain('with the password printed at the first start');
    expect(text).toContain('"password":"<your password>"');
    expect(text).toContain("PSABRIDGE_DATA_DIR='/tmp/my data' npx psabridge doctor");
    expect(text).toContain('--no-feed');
  });
});

describe('formatHappening', () => {
  const base: Happening = {
    kind: 'created',
    at: 61_400,
    ticketId: 30012,
    company: 'ACME',
    device: 'ACME-FS01',
    summary: 'ACME-FS01: backup failed (Nightly image) – VSS_0x8004230f',
    reason: null,
    fix: null,
  };

  it('says when, which ticket, whose and what', () => {
    expect(formatHappening(base, 0)).toBe(
      '+61s   #30012 created   ACME      ACME-FS01: backup failed (Nightly image) – VSS_0x8004230f',
    );
  });

  it('gives a blocked delivery its reason and fix', () => {
    const line = formatHappening(
      {
        ...base,
        kind: 'blocked',
        ticketId: null,
        company: 'Initech',
        device: 'INITECH-FS01',
        summary: null,
        reason: "Company 'Initech' is inactive in ConnectWise.",
        fix: 'Set its status to Active.',
      },
      1_000,
    );
    expect(line).toBe(
      "+60s   blocked          Initech   INITECH-FS01: Company 'Initech' is inactive in ConnectWise. Fix: Set its status to Active.",
    );
  });

  it('names a storm ticket without a summary as such', () => {
    expect(formatHappening({ ...base, kind: 'noted', device: null, summary: null }, 0)).toContain(
      'storm ticket',
    );
  });
});
