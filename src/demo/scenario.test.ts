import { describe, expect, it } from 'vitest';

import { parseEventsBody, validateEvent } from '../ingest/index.js';
import { DEMO_STORY, DEMO_TRICKLE, eventFor, type ScriptedEvent } from './scenario.js';

const AT = new Date('2026-12-03T10:00:00.000Z');

const scripted: ScriptedEvent[] = [
  ...DEMO_STORY.flatMap((step) => (step.kind === 'send' ? step.events : [])),
  ...DEMO_TRICKLE,
];

describe('the demo scenario', () => {
  it('sends only events the ingestion contract accepts', () => {
    for (const [index, event] of scripted.entries()) {
      const validation = validateEvent(eventFor(event, `demo-${index}`, AT));
      expect(validation, `${event.device.name} ${event.type}`).toMatchObject({ ok: true });
    }
  });

  it('gives each event its id and time, and a job that ends at that time', () => {
    const failed = scripted.find((event) => event.job?.errorCode === 'VSS_0x8004230f');
    expect(failed).toBeDefined();
    expect(eventFor(failed as ScriptedEvent, 'demo-1', AT)).toMatchObject({
      id: 'demo-1',
      type: 'backup.failed',
      occurredAt: '2026-12-03T10:00:00.000Z',
      company: 'ACME',
      device: { id: 'acme-fs01', name: 'ACME-FS01' },
      job: { errorCode: 'VSS_0x8004230f', finishedAt: '2026-12-03T10:00:00.000Z' },
    });
  });

  it('names every resent request and waits only for devices it sends events for', () => {
    const names = DEMO_STORY.flatMap((step) =>
      step.kind === 'send' && step.name ? [step.name] : [],
    );
    for (const step of DEMO_STORY) {
      if (step.kind === 'resend') expect(names).toContain(step.name);
      if (step.kind === 'wait') {
        expect(scripted.some((event) => event.device.id === step.target.device?.id)).toBe(true);
      }
    }
  });

  it('tells a complete story: WAYNE fails on enough devices together and every one recovers', () => {
    const sends = DEMO_STORY.flatMap((step) => (step.kind === 'send' ? step.events : []));
    const wayneFailed = new Set(
      sends
        .filter((e) => e.device.company === 'WAYNE' && e.type === 'backup.failed')
        .map((e) => e.device.id),
    );
    const wayneRecoveries = sends.filter(
      (e) => e.device.company === 'WAYNE' && e.type === 'backup.succeeded',
    );
    expect(wayneFailed.size).toBeGreaterThanOrEqual(3);
    for (const id of wayneFailed) {
      expect(wayneRecoveries.filter((e) => e.device.id === id)).toHaveLength(2);
    }
  });

  it('encodes NDJSON batches the ingestion parser reads line by line', () => {
    const batch = DEMO_STORY.find((step) => step.kind === 'send' && step.format === 'ndjson');
    if (batch?.kind !== 'send') throw new Error('the story has no NDJSON batch');
    const body = batch.events.map((e, i) => JSON.stringify(eventFor(e, `n-${i}`, AT))).join('\n');
    const parsed = parseEventsBody({ contentType: 'application/x-ndjson', body });
    expect(parsed.ok && parsed.events.length).toBe(batch.events.length);
  });
});
