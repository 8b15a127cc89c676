/**
 * Helpers for tests that talk to a sandbox over real HTTP: a running demo sandbox, and a tiny
 * client that sends the demo credentials and `clientId` and returns status, headers and the
 * parsed body. Used by the sandbox's own tests; other parts may use it in theirs.
 */
import type { RunningSandbox, SandboxOptions } from './index.js';
import { DEMO_CREDENTIALS, startSandbox } from './index.js';

export interface CwResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, the raw text when the body is not JSON, or `undefined` when empty. */
  readonly body: T;
  readonly text: string;
}

export type DemoMember = 'bridge' | 'limited' | 'admin';

/** The Basic header for a key pair of the demo tenant. */
export function basicAuth(
  publicKey: string,
  privateKey: string,
  companyId: string = DEMO_CREDENTIALS.companyId,
): string {
  return `Basic ${Buffer.from(`${companyId}+${publicKey}:${privateKey}`).toString('base64')}`;
}

/** A client for one sandbox and one member. Paths are under `/{codebase}apis/3.0`. */
export class CwTestClient {
  constructor(
    readonly sandbox: RunningSandbox,
    readonly member: DemoMember = 'bridge',
    readonly codebase: string = DEMO_CREDENTIALS.codebase,
  ) {}

  get api(): string {
    return `${this.sandbox.url}/${this.codebase}apis/3.0`;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const key = DEMO_CREDENTIALS[this.member];
    return {
      authorization: basicAuth(key.publicKey, key.privateKey),
      clientId: DEMO_CREDENTIALS.clientId,
      ...extra,
    };
  }

  /** Any request; `path` is under the API root unless it starts with `http`. */
  async request<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<CwResponse<T>> {
    const url = path.startsWith('http') ? path : `${this.api}${path}`;
    const hasBody = options.body !== undefined || options.raw !== undefined;
    const res = await fetch(url, {
      method,
      headers: this.headers({
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      }),
      ...(hasBody ? { body: options.raw ?? JSON.stringify(options.body) } : {}),
    });
    return parse<T>(res);
  }

  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<CwResponse<T>> {
    return this.request<T>('GET', path, headers ? { headers } : {});
  }

  post<T = unknown>(path: string, body: unknown): Promise<CwResponse<T>> {
    return this.request<T>('POST', path, { body });
  }

  patch<T = unknown>(path: string, body: unknown): Promise<CwResponse<T>> {
    return this.request<T>('PATCH', path, { body });
  }

  put<T = unknown>(path: string, body: unknown): Promise<CwResponse<T>> {
    return this.request<T>('PUT', path, { body });
  }

  delete<T = unknown>(path: string): Promise<CwResponse<T>> {
    return this.request<T>('DELETE', path);
  }
}

/** Reads a fetch response into a {@link CwResponse}. */
export async function parse<T>(res: Response): Promise<CwResponse<T>> {
  const text = await res.text();
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, body: body as T, text };
}

/** Starts a demo sandbox on 127.0.0.1, port 0. */
export function startDemoSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ port: 0, ...options });
}
