/**
 * Every choice the sandbox makes where the ConnectWise reference marks the real service's
 * behaviour UNVERIFIED or CONFLICT, as a switch. Each default is the reference's best guess
 * (`shared/reference/connectwise-api.md`, cited per field) so a test can flip one to check that
 * the bridge copes with the other reading.
 */

export interface SandboxBehaviour {
  /**
   * How the `clientId` header is checked (§1.4). `required`: any non-empty value; `registered`:
   * one of the fixture's `tenant.clientIds`; `ignored`: not checked. Default `required`.
   */
  clientIdPolicy: 'required' | 'registered' | 'ignored';
  /**
   * Body of a 401 (§1.6): `Unauthorized` → `{"code":"Unauthorized","message":"Incorrect
   * public/private key"}`; `UserNotAuthenticated` → `{"code":"ConnectWiseApi","message":
   * "UserNotAuthenticated"}`. Default `Unauthorized`.
   */
  unauthorizedBody: 'Unauthorized' | 'UserNotAuthenticated';
  /**
   * What bad credentials look like (§1.5, §5.3: "on cloud … a 404 error or 'Could not get any
   * response'"). `401` (default), `404` (the endpoint-does-not-exist body) or `noResponse` (the
   * socket is closed without an answer).
   */
  badCredentials: '401' | '404' | 'noResponse';
  /** `pageSize` above 1,000 (§4.2): `clamp` to 1,000 (default) or `reject` with a 400. */
  pageSizeAboveMax: 'clamp' | 'reject';
  /**
   * `like` wildcards (§4.1, CONFLICT): `true` treats `*` and `%` as wildcards (default); `false`
   * ignores a `like` filter entirely, as one tenant-verified report saw.
   */
  likeWildcards: boolean;
  /**
   * PATCH with a nested path such as `company/identifier` (§3.12): `reject` with a 400
   * (default) or `false200`, the documented "false 200" that changes nothing.
   */
  patchNestedPath: 'reject' | 'false200';
  /** PATCH `path` with a leading `/` (§3.12, UNVERIFIED): accepted by default. */
  patchLeadingSlash: boolean;
  /**
   * A request on a codebase the tenant does not serve (§2.2): `notFound` answers 404
   * `{"code":"ConnectWiseApi","message":"The endpoint does not exist."}` (default); `gateway`
   * answers the cloud gateway's 400 plain text `Cannot route. Codebase/company is invalid`.
   */
  badCodebase: 'notFound' | 'gateway';
  /**
   * The final page of forward-only paging (§4.3, UNVERIFIED): `omit` sends no `Link` (default);
   * `always` still sends a `next` link with the last id, so the client reads one empty page.
   */
  forwardOnlyFinalLink: 'omit' | 'always';
  /**
   * Where the double slash of `_info` hrefs falls (§2.2): `afterCodebase` →
   * `…/v2025_1//apis/3.0/service/…` (2025 capture, default); `afterApiRoot` →
   * `…/v4_6_release/apis/3.0//service/…` (2022 capture); `none` for clean URLs.
   */
  hrefDoubleSlash: 'afterCodebase' | 'afterApiRoot' | 'none';
  /**
   * Setup tables (boards, statuses, priorities) readable without System › Table Setup (§3.10:
   * setup-table endpoints "will return an inquiry level of access without access to the
   * table"). Default `false`: every endpoint enforces its own row, as the integration page
   * expects.
   */
  setupTablesOpenForInquiry: boolean;
  /**
   * A member whose role has no Inquire level anywhere gets 401 `UserNotAuthenticated` from
   * `/system/info` (§2.4, §5.3 optional item). Default `false`.
   */
  systemInfoNeedsRights: boolean;
  /**
   * A service note whose three flags are all false (§3.6, UNVERIFIED server rule): `accept`
   * (default) or `reject` with a 400 asking for one flag.
   */
  noteWithoutFlags: 'accept' | 'reject';
  /**
   * A ticket written for a company whose status is inactive or disallows saving (the
   * integration page: "The company must be in Active state to allow ticket creation and
   * editing"): `reject` (default) or `allow`.
   */
  inactiveCompanyTickets: 'reject' | 'allow';
  /**
   * A ticket created without a team on a board that has no default team (the integration
   * page: "The Service Board must have a default team for ticket generation"): `allow` leaves
   * the team empty (default, ConnectWise itself does not require a team); `reject` answers 400.
   */
  boardWithoutDefaultTeam: 'allow' | 'reject';
  /**
   * The 429 body (§6, UNVERIFIED at the CDN): `json` → `{"error":"ConnectWiseAPI","message":
   * "Too many requests. Please try again in N seconds."}` (default); `cloudflareHtml` → an
   * HTML page like Cloudflare's error 1015.
   */
  rateLimitBody: 'json' | 'cloudflareHtml';
  /**
   * Simulate calling a cloud tenant on its non-`api-` host (§1.5): every API call is answered
   * `{"code":"Security","message":"SSL is required.","errors":null}` with this status (the
   * status is undocumented; 403 fits the `Security` code). `0` (default) disables it.
   */
  sslRequiredStatus: number;
  /** Largest accepted request body in bytes; larger gets 413. Default 1,048,576 (1 MiB). */
  maxBodyBytes: number;
  /**
   * Answer `conditions` from secondary indexes where an equality allows (default `true`);
   * `false` scans every row, the baseline `bench/sandbox-query.ts` compares against.
   */
  queryIndexes: boolean;
}

/** The reference's best guesses; see each field of {@link SandboxBehaviour}. */
export const DEFAULT_BEHAVIOUR: Readonly<SandboxBehaviour> = Object.freeze({
  clientIdPolicy: 'required',
  unauthorizedBody: 'Unauthorized',
  badCredentials: '401',
  pageSizeAboveMax: 'clamp',
  likeWildcards: true,
  patchNestedPath: 'reject',
  patchLeadingSlash: true,
  badCodebase: 'notFound',
  forwardOnlyFinalLink: 'omit',
  hrefDoubleSlash: 'afterCodebase',
  setupTablesOpenForInquiry: false,
  systemInfoNeedsRights: false,
  noteWithoutFlags: 'accept',
  inactiveCompanyTickets: 'reject',
  boardWithoutDefaultTeam: 'allow',
  rateLimitBody: 'json',
  sslRequiredStatus: 0,
  maxBodyBytes: 1_048_576,
  queryIndexes: true,
});

/** Fills the defaults under a partial behaviour. */
export function resolveBehaviour(partial: Partial<SandboxBehaviour> = {}): SandboxBehaviour {
  const merged: SandboxBehaviour = { ...DEFAULT_BEHAVIOUR };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  return merged;
}
