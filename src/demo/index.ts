/**
 * `psabridge demo`: the product on its embedded defaults with demo data flowing — the Manage
 * sandbox, the bridge configured against it by `demo/psabridge.demo.json`, a feed of backup
 * events, and one line per ticket happening. See README.md.
 */
export {
  DEMO_CONFIG_PATH,
  demoSetup,
  type DemoPasswordSource,
  type DemoSetup,
  type DemoSetupInput,
} from './demo-config.js';
export {
  DEFAULT_DEMO_SANDBOX_PORT,
  startDemoSandbox,
  type DemoSandbox,
  type DemoSandboxOptions,
} from './demo-sandbox.js';
export { deriveDemoToken, generateDemoPassword, type DemoTokenPurpose } from './demo-secrets.js';
export { DemoError } from './errors.js';
export { runFeed, type FeedOptions, type FeedResult } from './feed.js';
export { guideLines, type GuideInput } from './guide.js';
export {
  formatHappening,
  watchHappenings,
  type Happening,
  type HappeningKind,
  type HappeningsWatcher,
  type WatchHappeningsOptions,
} from './happenings.js';
export {
  DEMO_API_TOKEN_NAME,
  DEMO_SANDBOX_TICKETS_FILE,
  runDemo,
  type DemoOptions,
  type RunningDemo,
} from './run-demo.js';
export {
  DEFAULT_TRICKLE_INTERVAL_MS,
  DEMO_STORY,
  DEMO_TRICKLE,
  DEVICES,
  eventFor,
  type DemoDevice,
  type FeedStep,
  type IncidentTarget,
  type ScriptedEvent,
} from './scenario.js';
export {
  loadSavedTickets,
  saveTickets,
  ticketsAsFixture,
  withTickets,
  type FixtureTicketInput,
} from './sandbox-tickets.js';
