import { describe, expect, it } from 'vitest';
import { manageTicketLink, manageUiOrigin } from './links.js';

describe('ConnectWise UI links', () => {
  it('opens a ticket on the sign-in host, whatever the API host', () => {
    const link =
      'https://na.myconnectwise.net/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=123&companyName=acme';
    expect(manageTicketLink('na.myconnectwise.net', 'acme', 123)).toBe(link);
    expect(manageTicketLink('https://api-na.myconnectwise.net', 'acme', 123)).toBe(link);
  });

  it('keeps an on-premise host and the sandbox as given', () => {
    expect(manageUiOrigin('cw.example.com')).toBe('https://cw.example.com');
    expect(manageUiOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
  });

  it('escapes the company id', () => {
    expect(manageTicketLink('cw.example.com', 'a&b', 1)).toContain('companyName=a%26b');
  });
});
