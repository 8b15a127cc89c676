import { describe, expect, it } from 'vitest';
import { applyEvent } from './incident.js';
import type { Incident } from './incident-state.js';
import { testEvent, testRules } from './testing.js';
import {
  cutSummary,
  cutText,
  formatBytes,
  initialDescription,
  oneLine,
  previewSummary,
  renderSummary,
  repeatNoteText,
  SUMMARY_MAX_LENGTH,
} from './ticket-content.js';
import { formatDuration, formatUtc } from './time.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('cutSummary', () => {
  const exactly100 = `${'a'.repeat(49)} ${'b'.repeat(50)}`;
  const cases: [string, string, string][] = [
    ['short text', 'ACME-FS01: backup failed', 'ACME-FS01: backup failed'],
    ['exactly 100 characters', exactly100, exactly100],
    [
      '101 characters cut on the last word boundary',
      `${'word '.repeat(20)}x`,
      `${'word '.repeat(19)}word…`,
    ],
    ['one long word cut hard', 'x'.repeat(150), `${'x'.repeat(99)}…`],
    ['newlines and tabs collapsed', 'FS01:\r\n backup\tfailed\n\n', 'FS01: backup failed'],
    ['control characters removed', 'FS01\u0000\u0007 failed', 'FS01 failed'],
    [
      'trailing separator dropped before the ellipsis',
      `${'a'.repeat(70)} – ${'b'.repeat(40)}`,
      `${'a'.repeat(70)}…`,
    ],
  ];

  it.each(cases)('handles %s', (_title, input, expected) => {
    const cut = cutSummary(input);
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
  });

  it('never splits a surrogate pair at the limit', () => {
    for (let pad = 90; pad <= 100; pad += 1) {
      const cut = cutSummary(`${'a'.repeat(pad)}${'😀'.repeat(10)}`);
      expect(cut.length).toBeLessThanOrEqual(100);
      expect(cut).not.toMatch(LONE_SURROGATE);
      expect(cut.endsWith('…')).toBe(true);
    }
  });

  it('never splits an emoji sequence (ZWJ family, flags)', () => {
    const family = '👨‍👩‍👧‍👦';
    for (let pad = 85; pad <= 99; pad += 1) {
      const cut = cutSummary(`${'a'.repeat(pad)}${family}${family}🇩🇪🇩🇪`);
      const kept = cut.slice(pad, -1);
      expect(kept.split(family).join('').replace(/🇩🇪/gu, '')).toBe('');
    }
  });

  it('counts in UTF-16 code units, as ConnectWise does', () => {
    const cut = cutSummary('😀'.repeat(60));
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).toBe(`${'😀'.repeat(49)}…`);
  });

  it('cuts a rendered template', () => {
    const summary = renderSummary('{{device}}: {{message}}', {
      company: 'ACME',
      device: 'FS01',
      deviceName: 'FS01',
      deviceId: 'd',
      os: '',
      jobName: '',
      jobId: '',
      errorCode: '',
      message: 'snapshot failed '.repeat(20),
      eventType: 'backup.failed',
      eventLabel: 'backup failed',
      condition: 'backup',
      conditionLabel: 'backup problems',
      count: 1,
      deviceCount: 1,
      firstSeen: '',
      lastSeen: '',
    });
    expect(summary).toBe(`FS01: ${'snapshot failed '.repeat(5)}snapshot…`);
  });
});

describe('previewSummary', () => {
  it('shows the summary a ticket would get and whether it was cut', () => {
    const event = testEvent('backup.failed', { errorCode: 'E1', message: 'x'.repeat(200) });
    expect(previewSummary('{{device}}: {{eventLabel}} – {{errorCode}}', event)).toEqual({
      full: 'ACME-FS01: backup failed – E1',
      summary: 'ACME-FS01: backup failed – E1',
      cut: false,
    });
    const long = previewSummary('{{device}}: {{message}}', event);
    expect(long.cut).toBe(true);
    expect(long.full).toHaveLength(211);
    expect(long.summary).toHaveLength(100);
  });
});

describe('text helpers', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1_048_576, '1.0 MiB'],
    [1_610_612_736, '1.5 GiB'],
    [5 * 1024 ** 4, '5.0 TiB'],
  ])('formats %i bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    ['2026-12-03T10:00:00Z', '2026-12-03T10:20:00Z', '20 min'],
    ['2026-12-03T10:00:00Z', '2026-12-03T12:05:00Z', '2 h 5 min'],
    ['2026-12-03T10:00:00Z', '2026-12-06T14:00:00Z', '3 d 4 h'],
  ])('formats %s → %s as %s', (from, to, text) => {
    expect(formatDuration(from, to)).toBe(text);
  });

  it('shows times in UTC with the date', () => {
    expect(formatUtc('2026-12-03T11:30:00+01:00')).toBe('2026-12-03 10:30 UTC');
  });

  it('cuts plain text on a word boundary', () => {
    expect(cutText('Backup failed on a very long device name', 20)).toBe('Backup failed on a…');
    expect(oneLine(' a \n b ')).toBe('a b');
  });
});

describe('initialDescription', () => {
  const rules = testRules({ storm: { holdMinutes: 0 } });

  function openIncident(): Incident {
    const event = testEvent('backup.failed', {
      at: 0,
      errorCode: 'VSS_0x8004230f',
      message: 'Snapshot creation failed\nretry later',
      bytes: 1_048_576,
      files: 1200,
      jobId: 'job-9',
    });
    const incident = applyEvent(undefined, event, rules, event.occurredAt).incident;
    if (incident === undefined) throw new Error('expected an incident');
    return incident;
  }

  it('carries the evidence a technician needs', () => {
    const text = initialDescription(openIncident(), null);
    expect(text).toContain('Backup failed on ACME-FS01 (dev-42) for ACME.');
    expect(text).toContain('Device: ACME-FS01 (dev-42), Windows Server 2022');
    expect(text).toContain('Job: Nightly (job-9)');
    expect(text).toContain('Error code: VSS_0x8004230f');
    expect(text).toContain(
      'Run: started 2026-12-03 09:40 UTC, finished 2026-12-03 10:00 UTC, took 20 min',
    );
    expect(text).toContain('Data: 1.0 MiB, 1,200 files');
    expect(text).toContain('Message: Snapshot creation failed retry later');
    expect(text).toContain(
      'First seen: 2026-12-03 10:00 UTC; last seen: 2026-12-03 10:00 UTC; 1 problem event.',
    );
  });

  it('names the ticket it follows', () => {
    const incident = openIncident();
    const text = initialDescription(incident, {
      generation: 1,
      externalXRef: 'x',
      ticketId: 4711,
      openedAt: '2026-12-01T10:00:00Z',
      closedAt: '2026-12-02T10:00:00Z',
      closedBy: 'technician',
      deleted: false,
      status: null,
      mergedFrom: [],
    });
    expect(text).toContain(
      'Follows ticket #4711, closed by a technician at 2026-12-02 10:00 UTC while the problem went on.',
    );
  });
});

describe('repeatNoteText', () => {
  it('says how many, since when, by type and error code, and the last message', () => {
    const text = repeatNoteText({
      since: '2026-12-03T10:00:00Z',
      count: 3,
      byType: [
        { key: 'backup.failed', count: 2 },
        { key: 'backup.warning', count: 1 },
      ],
      byErrorCode: [
        { key: 'E1', count: 2 },
        { key: null, count: 1 },
      ],
      last: {
        eventId: 'e',
        type: 'backup.failed',
        occurredAt: '2026-12-03T10:50:00Z',
        device: { id: 'dev-42', name: 'FS01', os: null },
        job: { name: 'Nightly', errorCode: 'E1' },
        message: 'disk full',
      },
      joined: [],
      eventIds: ['a', 'b', 'c'],
    });
    expect(text).toBe(
      [
        '3 more problem events since 2026-12-03 10:00 UTC (backup failed × 2, backup warning × 1).',
        'By error code: E1 × 2, no code × 1.',
        'Last: backup failed at 2026-12-03 10:50 UTC, job Nightly, error E1: disk full',
      ].join('\n'),
    );
  });
});
