/**
 * Links into the ConnectWise Manage UI, for the console and the doctor. The UI lives on the site
 * people sign in to (`na.myconnectwise.net`), not on the API host (`api-na.…`, reference §2.1),
 * and opens a service ticket at the classic `v4_6_release` path whatever the API codebase is.
 */

/** The `api-` host of each cloud sign-in host, reversed: API host → sign-in host. */
const CLOUD_UI_HOSTS: Readonly<Record<string, string>> = {
  'api-na.myconnectwise.net': 'na.myconnectwise.net',
  'api-eu.myconnectwise.net': 'eu.myconnectwise.net',
  'api-au.myconnectwise.net': 'au.myconnectwise.net',
  'api-aus.myconnectwise.net': 'aus.myconnectwise.net',
  'api-za.myconnectwise.net': 'za.myconnectwise.net',
  'api-staging.connectwisedev.com': 'staging.connectwisedev.com',
};

/**
 * The origin of the ConnectWise UI for a site as typed (`na.myconnectwise.net`,
 * `https://cw.example.com`, `http://127.0.0.1:8080`). A bare host means HTTPS; an API host is
 * turned into its sign-in twin.
 */
export function manageUiOrigin(site: string): string {
  const given = site.trim();
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `https://${given}`);
  const host = CLOUD_UI_HOSTS[url.hostname.toLowerCase()];
  if (host !== undefined) url.hostname = host;
  return url.origin;
}

/**
 * The ConnectWise UI link that opens service ticket `ticketId`.
 *
 * @param site the ConnectWise site as configured.
 * @param companyId the ConnectWise login company id; the UI asks for it when it is missing.
 * @example
 * manageTicketLink('na.myconnectwise.net', 'acme', 123);
 * // 'https://na.myconnectwise.net/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=123&companyName=acme'
 */
export function manageTicketLink(site: string, companyId: string, ticketId: number): string {
  const query = new URLSearchParams({ service_recid: String(ticketId), companyName: companyId });
  return `${manageUiOrigin(site)}/v4_6_release/services/system_io/Service/fv_sr100_request.rails?${query.toString()}`;
}
