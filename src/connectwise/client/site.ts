/**
 * Turns what an administrator types as the ConnectWise "site" into the API base URL.
 *
 * Cloud tenants sign in on `na.myconnectwise.net` and friends but must call the API on the
 * `api-` twin of that host, or ConnectWise answers `SSL is required.` (reference §1.5, §2.1).
 * On-premise servers are called on their own host, always over HTTPS. Plain HTTP is only for
 * the local sandbox.
 */
import { ManageConfigError } from './errors.js';

/** Cloud sign-in hosts and the API host each must be called on (reference §2.1). */
const CLOUD_API_HOSTS: Readonly<Record<string, string>> = {
  'na.myconnectwise.net': 'api-na.myconnectwise.net',
  'eu.myconnectwise.net': 'api-eu.myconnectwise.net',
  'au.myconnectwise.net': 'api-au.myconnectwise.net',
  'aus.myconnectwise.net': 'api-aus.myconnectwise.net',
  'za.myconnectwise.net': 'api-za.myconnectwise.net',
  'staging.connectwisedev.com': 'api-staging.connectwisedev.com',
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const SITE_EXAMPLES =
  'A site is a host name such as na.myconnectwise.net (cloud), cw.example.com (on-premise) ' +
  'or http://127.0.0.1:8080 (the local sandbox)';

/** Options of {@link resolveApiBase}. */
export interface ResolveApiBaseOptions {
  /**
   * Accept `http://` for hosts other than 127.0.0.1/localhost (e.g. a sandbox in another
   * container). Real ConnectWise refuses plain HTTP (reference §1.5). Default `false`.
   */
  readonly allowInsecureHttp?: boolean;
}

/**
 * The API base URL (origin only, no trailing slash) for a ConnectWise site.
 *
 * @example
 * resolveApiBase('na.myconnectwise.net'); // 'https://api-na.myconnectwise.net'
 * resolveApiBase('https://cw.example.com'); // 'https://cw.example.com'
 * resolveApiBase('http://127.0.0.1:8080'); // 'http://127.0.0.1:8080'
 * @throws ManageConfigError for an empty value, spaces, a path, a query or an unsupported scheme.
 */
export function resolveApiBase(site: string, options: ResolveApiBaseOptions = {}): string {
  const given = site.trim();
  if (given === '') throw new ManageConfigError(`The ConnectWise site is empty. ${SITE_EXAMPLES}.`);
  if (/\s/.test(given)) {
    throw new ManageConfigError(
      `The ConnectWise site "${given}" contains spaces. ${SITE_EXAMPLES}.`,
    );
  }

  // A value without a scheme is a bare host (optionally with a port): HTTPS is implied.
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(given);
  let url: URL;
  try {
    url = new URL(hasScheme ? given : `https://${given}`);
  } catch (cause) {
    throw new ManageConfigError(
      `The ConnectWise site "${given}" is not a host name. ${SITE_EXAMPLES}.`,
      {
        cause,
      },
    );
  }

  // Only the host may be given: the codebase and /apis/3.0 are found and added by the client.
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || given.endsWith('?')) {
    throw new ManageConfigError(
      `The ConnectWise site "${given}" has a path or query; give the host only (the client ` +
        `finds the codebase and adds /apis/3.0 itself). ${SITE_EXAMPLES}.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new ManageConfigError(
      `The ConnectWise site must not contain a user name or password; keys go in their own fields. ${SITE_EXAMPLES}.`,
    );
  }
  if (!isHostName(url.hostname)) {
    throw new ManageConfigError(
      `The ConnectWise site "${given}" is not a host name. ${SITE_EXAMPLES}.`,
    );
  }

  const host = url.host.toLowerCase();
  if (url.protocol === 'http:') {
    if (LOOPBACK_HOSTS.has(url.hostname) || options.allowInsecureHttp === true) {
      return `http://${host}`;
    }
    throw new ManageConfigError(
      `The ConnectWise site "${given}" uses plain HTTP, which ConnectWise refuses ("SSL is ` +
        `required"). Use https:// or just the host name.`,
    );
  }
  if (url.protocol !== 'https:') {
    throw new ManageConfigError(
      `The ConnectWise site "${given}" uses the scheme ${url.protocol}; only https:// is supported. ${SITE_EXAMPLES}.`,
    );
  }

  // Cloud sign-in hosts map to their api- twin; api- hosts and on-premise hosts stay.
  const cloud = url.port === '' ? CLOUD_API_HOSTS[url.hostname.toLowerCase()] : undefined;
  return `https://${cloud ?? host}`;
}

/** Letters, digits, hyphens and dots (IPv6 literals in brackets pass as well). */
function isHostName(hostname: string): boolean {
  if (hostname.startsWith('[') && hostname.endsWith(']')) return true;
  return /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i.test(
    hostname,
  );
}
