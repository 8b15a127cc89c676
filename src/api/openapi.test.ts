import { expect, it } from 'vitest';
import * as contract from './contract/index.js';
import type { Endpoint } from './contract/endpoint.js';
import { describeAppEachDialect } from './testing.js';

const endpoints = Object.values(contract as Record<string, unknown>).filter(
  (value): value is Endpoint =>
    typeof value === 'object' &&
    value !== null &&
    'method' in value &&
    'path' in value &&
    'access' in value,
);

describeAppEachDialect('OpenAPI document', (ctx) => {
  it('describes every endpoint of the contract, with its security', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<
        string,
        Record<string, { security?: unknown; responses?: Record<string, { content?: unknown }> }>
      >;
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(endpoints.length).toBeGreaterThanOrEqual(10);
    for (const endpoint of endpoints) {
      const path = endpoint.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const operation = doc.paths[path]?.[endpoint.method.toLowerCase()];
      expect(operation, `${endpoint.method} ${endpoint.path}`).toBeDefined();
      expect(Boolean(operation?.security), endpoint.path).toBe(endpoint.access !== 'public');
      const success = operation?.responses?.[String(endpoint.status)];
      expect(success, `${endpoint.method} ${endpoint.path} ${endpoint.status}`).toBeDefined();
      expect(Boolean(success?.content)).toBe(endpoint.response !== null);
      expect(operation?.responses?.['4XX']).toBeDefined();
    }
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/api/docs'))).toBe(false);
  });

  it('serves the docs UI', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});

it('fills path placeholders, encoded', () => {
  expect(contract.pathFor(contract.updateUser, { id: 'usr_A/B' })).toBe('/api/v1/users/usr_A%2FB');
  expect(() => contract.pathFor(contract.updateUser)).toThrow(/missing parameter id/);
});
