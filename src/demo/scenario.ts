/**
 * What the demo feed sends: a scripted story of backup problems at the MSP's customers, then a
 * gentle trickle that keeps the system alive. Pure data; `feed.ts` sends it.
 *
 * Timing. The demo configuration holds a device ticket for 15 seconds (`storm.holdMinutes`
 * 0.25) so that the first devices of a storm are rolled up
 * instead of ticketed; that hold uses the bridge's clock, not the events' `occurredAt`, so no
 * choice of timestamps can shorten it. The story is therefore paced by what the bridge did, not
 * by a timetable: it sends the first failures at once (WAYNE's storm ticket follows within
 * seconds), waits until ACME-FS01's incident has its ticket (about 15 seconds later), then sends
 * the repeat (a note at once: `noteIntervalMinutes` 0) and the recoveries (closed after two
 * successes). With a configuration without a hold, the same story plays out in seconds.
 */
import type { Condition } from '../domain/index.js';
import type { BackupEvent } from '../ingest/index.js';

/** A device the story is about; `id` is the stable device id the incident key is built on. */
export interface DemoDevice {
  readonly company: string;
  readonly id: string;
  readonly name: string;
  readonly os: string;
}

/** An event as scripted: the feed adds `id`, `occurredAt` and the job's start and end. */
export interface ScriptedEvent {
  readonly type: BackupEvent['type'];
  readonly device: DemoDevice;
  readonly job?: { readonly name: string; readonly errorCode?: string };
  readonly message?: string;
}

/** An incident the feed can wait for: a device's, or the company's storm (`device` absent). */
export interface IncidentTarget {
  readonly company: string;
  readonly condition: Condition;
  readonly device?: DemoDevice;
}

/** One step of the story. */
export type FeedStep =
  | {
      readonly kind: 'send';
      /** One line for the console: what is sent and what it should lead to. */
      readonly say: string;
      /** `json`: a JSON array (or one object for a single event); `ndjson`: one event per line. */
      readonly format: 'json' | 'ndjson';
      readonly events: readonly ScriptedEvent[];
      /** Names the request so a `resend` step can send the very same body again. */
      readonly name?: string;
    }
  | { readonly kind: 'resend'; readonly say: string; readonly name: string }
  | {
      readonly kind: 'wait';
      readonly say: string;
      readonly target: IncidentTarget;
      /** Wait until the incident is in one of these states (`Incident['state']`). */
      readonly states: readonly string[];
      /** Give up waiting after this long and go on. */
      readonly timeoutMs: number;
    }
  | { readonly kind: 'pause'; readonly ms: number };

const device = (company: string, name: string, os: string): DemoDevice => ({
  company,
  id: name.toLowerCase(),
  name,
  os,
});

/** The devices of the story. */
export const DEVICES = {
  acmeFs01: device('ACME', 'ACME-FS01', 'Windows Server 2022'),
  acmeDc01: device('ACME', 'ACME-DC01', 'Windows Server 2019'),
  acmeWs07: device('ACME', 'ACME-WS07', 'Windows 11 Pro'),
  globexDc01: device('Globex', 'GLX-DC01', 'Windows Server 2019'),
  globexSql01: device('Globex', 'GLX-SQL01', 'Windows Server 2022'),
  starkNas01: device('StarkInd', 'STARK-NAS01', 'TrueNAS SCALE 24.04'),
  starkWs01: device('StarkInd', 'STARK-WS01', 'macOS 15'),
  wayneFs01: device('WAYNE', 'WAYNE-FS01', 'Windows Server 2022'),
  wayneSql01: device('WAYNE', 'WAYNE-SQL01', 'Windows Server 2022'),
  wayneExch01: device('WAYNE', 'WAYNE-EXCH01', 'Windows Server 2019'),
  wayneWs042: device('WAYNE', 'WAYNE-WS042', 'Windows 11 Pro'),
  initechFs01: device('Initech', 'INITECH-FS01', 'Windows Server 2016'),
} as const satisfies Record<string, DemoDevice>;

const NIGHTLY = 'Nightly image';
const VSS = {
  name: NIGHTLY,
  errorCode: 'VSS_0x8004230f',
};
const VSS_MESSAGE =
  'Volume Shadow Copy Service: the shadow copy provider had an unexpected error while trying to process the operation (0x8004230f).';
const NAS_UNREACHABLE = { name: NIGHTLY, errorCode: 'NET_0x80070035' };
const NAS_MESSAGE =
  'The backup target \\\\wayne-nas02\\backups cannot be reached: the network path was not found.';

const wayneFailed = (d: DemoDevice): ScriptedEvent => ({
  type: 'backup.failed',
  device: d,
  job: NAS_UNREACHABLE,
  message: NAS_MESSAGE,
});
const succeeded = (d: DemoDevice, job = NIGHTLY): ScriptedEvent => ({
  type: 'backup.succeeded',
  device: d,
  job: { name: job },
});

const WAYNE_STORM = [DEVICES.wayneFs01, DEVICES.wayneSql01, DEVICES.wayneExch01];
const WAYNE_ALL = [...WAYNE_STORM, DEVICES.wayneWs042];

/** How long the story waits for a ticket before going on without it: 3 minutes. */
const TICKET_WAIT_MS = 3 * 60_000;

/** The scripted story, sent once per start. */
export const DEMO_STORY: readonly FeedStep[] = [
  {
    kind: 'send',
    say: 'ACME-FS01 backup failed (VSS), GLX-DC01 offline, STARK-NAS01 over quota, INITECH-FS01 failed (JSON array)',
    format: 'json',
    events: [
      { type: 'backup.failed', device: DEVICES.acmeFs01, job: VSS, message: VSS_MESSAGE },
      {
        type: 'device.offline',
        device: DEVICES.globexDc01,
        message: 'The backup agent has not checked in for 45 minutes.',
      },
      {
        type: 'quota.exceeded',
        device: DEVICES.starkNas01,
        message: 'Cloud backup storage quota exceeded: 1.02 TB of 1 TB used.',
      },
      {
        type: 'backup.failed',
        device: DEVICES.initechFs01,
        job: { name: NIGHTLY, errorCode: 'DISK_0x00000070' },
        message: 'There is not enough space on the backup disk.',
      },
    ],
  },
  {
    kind: 'send',
    name: 'wayne',
    say: 'WAYNE-FS01, WAYNE-SQL01 and WAYNE-EXCH01 fail together: their backup NAS is unreachable (NDJSON)',
    format: 'ndjson',
    events: WAYNE_STORM.map(wayneFailed),
  },
  { kind: 'pause', ms: 2_000 },
  {
    kind: 'resend',
    name: 'wayne',
    say: 'the backup console retries the WAYNE request: same event ids, stored once',
  },
  {
    kind: 'send',
    say: 'WAYNE-WS042 fails too: it joins the storm ticket',
    format: 'json',
    events: [wayneFailed(DEVICES.wayneWs042)],
  },
  {
    kind: 'wait',
    say: "waiting for ACME-FS01's ticket (device tickets wait 15 seconds in case a storm forms)",
    target: { company: 'ACME', condition: 'backup', device: DEVICES.acmeFs01 },
    states: ['open'],
    timeoutMs: TICKET_WAIT_MS,
  },
  { kind: 'pause', ms: 2_000 },
  {
    kind: 'send',
    say: 'ACME-FS01 fails again with the same VSS error: a note, not a second ticket',
    format: 'json',
    events: [{ type: 'backup.failed', device: DEVICES.acmeFs01, job: VSS, message: VSS_MESSAGE }],
  },
  { kind: 'pause', ms: 3_000 },
  {
    kind: 'send',
    say: 'ACME-FS01 backs up fine (1 of the 2 successes that close its ticket)',
    format: 'json',
    events: [succeeded(DEVICES.acmeFs01)],
  },
  { kind: 'pause', ms: 2_000 },
  {
    kind: 'send',
    say: 'ACME-FS01 backs up fine again: its ticket closes with the evidence',
    format: 'json',
    events: [succeeded(DEVICES.acmeFs01)],
  },
  {
    kind: 'wait',
    say: "waiting for GLX-DC01's ticket",
    target: { company: 'Globex', condition: 'device', device: DEVICES.globexDc01 },
    states: ['open'],
    timeoutMs: TICKET_WAIT_MS,
  },
  {
    kind: 'send',
    say: 'GLX-DC01 is back online: its ticket closes',
    format: 'json',
    events: [
      {
        type: 'device.online',
        device: DEVICES.globexDc01,
        message: 'The backup agent checked in again.',
      },
    ],
  },
  { kind: 'pause', ms: 3_000 },
  {
    kind: 'send',
    say: "WAYNE's NAS is back: all four devices back up fine (NDJSON)",
    format: 'ndjson',
    events: WAYNE_ALL.map((d) => succeeded(d)),
  },
  { kind: 'pause', ms: 2_000 },
  {
    kind: 'send',
    say: 'WAYNE backs up fine again: every device of the storm recovered, its ticket closes',
    format: 'ndjson',
    events: WAYNE_ALL.map((d) => succeeded(d)),
  },
];

/**
 * The trickle after the story, one event per beat, cycling. Mostly successful backups of healthy
 * devices; once per cycle ACME-WS07 misses its backups for a while (a ticket after the hold, a
 * note for the repeat) and then recovers (closed; in later cycles the ticket is reopened, as it
 * was closed less than `reopenWindowHours` before).
 */
export const DEMO_TRICKLE: readonly ScriptedEvent[] = (() => {
  const healthy = [
    DEVICES.acmeDc01,
    DEVICES.globexSql01,
    DEVICES.starkWs01,
    DEVICES.wayneFs01,
    DEVICES.acmeFs01,
    DEVICES.wayneSql01,
  ];
  const missed: ScriptedEvent = {
    type: 'backup.missed',
    device: DEVICES.acmeWs07,
    job: { name: 'Laptop hourly' },
    message: 'No backup for 26 hours: the laptop has not been online.',
  };
  const cycle: ScriptedEvent[] = [];
  for (let beat = 0; beat < 30; beat += 1) {
    if (beat === 0 || beat === 8) cycle.push(missed);
    else if (beat === 14 || beat === 16) cycle.push(succeeded(DEVICES.acmeWs07, 'Laptop hourly'));
    else if (beat === 21) {
      cycle.push({
        type: 'backup.warning',
        device: DEVICES.globexSql01,
        job: { name: 'SQL log backup' },
        message: '2 files were skipped because they were in use.',
      });
    } else cycle.push(succeeded(healthy[beat % healthy.length] as DemoDevice));
  }
  return cycle;
})();

/** The default pause between two trickle events: 10 seconds (360 events an hour). */
export const DEFAULT_TRICKLE_INTERVAL_MS = 10_000;

/**
 * The event to send: the scripted one with its id, its time and, for a backup job, a job that
 * ran for 20 minutes up to `at`.
 */
export function eventFor(scripted: ScriptedEvent, id: string, at: Date): BackupEvent {
  const { device, job, message } = scripted;
  const backupJob = job && {
    id: `${device.id}-${job.name.toLowerCase().replaceAll(' ', '-')}`,
    name: job.name,
    ...(job.errorCode !== undefined && { errorCode: job.errorCode }),
    startedAt: new Date(at.getTime() - 20 * 60_000).toISOString(),
    finishedAt: at.toISOString(),
  };
  return {
    id,
    type: scripted.type,
    occurredAt: at.toISOString(),
    company: device.company,
    device: { id: device.id, name: device.name, os: device.os },
    ...(backupJob && { job: backupJob }),
    ...(message !== undefined && { message }),
  };
}
