import { describe, expect, it } from 'vitest';

import { ENDPOINTS, fillPath } from './endpoints.js';
import { REQUIRED_PERMISSIONS } from './permissions.js';

describe('fillPath', () => {
  it('fills placeholders and escapes their values', () => {
    expect(fillPath(ENDPOINTS.getTicket.path, { id: 7 })).toBe('/service/tickets/7');
    expect(fillPath('/a/:id', { id: 'x/y' })).toBe('/a/x%2Fy');
  });

  it('refuses a template whose placeholder has no value', () => {
    expect(() => fillPath(ENDPOINTS.listTicketNotes.path, {})).toThrow(/:parentId/);
  });
});

describe('REQUIRED_PERMISSIONS', () => {
  it('lists the seven rows of the integration page with where to grant them', () => {
    expect(REQUIRED_PERMISSIONS.map((p) => p.label)).toEqual([
      'Companies › Company Maintenance › Inquire Level: All',
      'Companies › Contacts › Inquire Level: All',
      'Project › Project Tickets › Inquire Level: All',
      'Service Desk › Service Tickets › Add Level: All',
      'Service Desk › Service Tickets › Edit Level: All',
      'Service Desk › Service Tickets › Inquire Level: All',
      'System › Table Setup (customize › Service / Service Board) › Inquire Level: All',
    ]);
  });
});
