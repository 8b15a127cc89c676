import { describe, expect, it } from 'vitest';

import { ENDPOINTS } from '../connectwise/endpoints.js';
import { planIdBatches, pollUrl, SERVICE_TICKET_FIELDS } from './ticket-state.js';

const API = 'https://api-na.myconnectwise.net';
const urlOf = (batch: readonly number[]): number =>
  pollUrl(API, 'v2025_1/', ENDPOINTS.listTickets.path, batch, SERVICE_TICKET_FIELDS).length;

describe('planIdBatches', () => {
  it('keeps every URL within the limit and every id exactly once, in order', () => {
    const ids = Array.from({ length: 250 }, (_, i) => 700_000 + i * 13);
    const batches = planIdBatches(ids, urlOf, 2_000);
    expect(batches.flat()).toEqual(ids);
    for (const batch of batches) expect(urlOf(batch)).toBeLessThanOrEqual(2_000);
    // Greedy: each batch but the last is full, so one more id would not have fitted.
    for (const [i, batch] of batches.slice(0, -1).entries()) {
      const next = batches[i + 1]![0]!;
      expect(urlOf([...batch, next])).toBeGreaterThan(2_000);
    }
  });

  it('makes one batch when everything fits', () => {
    expect(planIdBatches([1, 2, 3], urlOf, 2_000)).toEqual([[1, 2, 3]]);
  });

  it('never puts more ids in a batch than ConnectWise returns on one page', () => {
    const ids = Array.from({ length: 2_500 }, (_, i) => i + 1);
    const batches = planIdBatches(ids, () => 10, 2_000);
    expect(batches.map((b) => b.length)).toEqual([1_000, 1_000, 500]);
  });

  it('returns nothing for no ids', () => {
    expect(planIdBatches([], urlOf, 2_000)).toEqual([]);
  });

  it('refuses a limit that not even one id fits', () => {
    expect(() => planIdBatches([30001], urlOf, 100)).toThrow(/raise maxUrlLength/);
  });
});

describe('pollUrl', () => {
  it('asks for the ids with a partial response and a page as large as the batch', () => {
    const url = new URL(pollUrl(API, 'v2025_1/', '/service/tickets', [5, 7], ['id', 'closedFlag']));
    expect(url.pathname).toBe('/v2025_1/apis/3.0/service/tickets');
    expect(url.searchParams.get('conditions')).toBe('id in (5, 7)');
    expect(url.searchParams.get('fields')).toBe('id,closedFlag');
    expect(url.searchParams.get('pageSize')).toBe('2');
  });
});
