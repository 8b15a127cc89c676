import { describe, expect, it } from 'vitest';

import { ManageConfigError } from './errors.js';
import { resolveApiBase } from './site.js';

describe('resolveApiBase', () => {
  it.each([
    ['na.myconnectwise.net', 'https://api-na.myconnectwise.net'],
    ['eu.myconnectwise.net', 'https://api-eu.myconnectwise.net'],
    ['au.myconnectwise.net', 'https://api-au.myconnectwise.net'],
    ['aus.myconnectwise.net', 'https://api-aus.myconnectwise.net'],
    ['za.myconnectwise.net', 'https://api-za.myconnectwise.net'],
    ['staging.connectwisedev.com', 'https://api-staging.connectwisedev.com'],
    ['https://na.myconnectwise.net', 'https://api-na.myconnectwise.net'],
    ['https://NA.MyConnectWise.net/', 'https://api-na.myconnectwise.net'],
    ['  eu.myconnectwise.net  ', 'https://api-eu.myconnectwise.net'],
  ])('maps the cloud sign-in host %s to its api- host', (site, base) => {
    expect(resolveApiBase(site)).toBe(base);
  });

  it('keeps a host that already is an api- host', () => {
    expect(resolveApiBase('api-na.myconnectwise.net')).toBe('https://api-na.myconnectwise.net');
    expect(resolveApiBase('https://api-staging.connectwisedev.com')).toBe(
      'https://api-staging.connectwisedev.com',
    );
  });

  it('calls an on-premise host on itself over https, keeping a port', () => {
    expect(resolveApiBase('cw.example.com')).toBe('https://cw.example.com');
    expect(resolveApiBase('https://cw.example.com:8443')).toBe('https://cw.example.com:8443');
    expect(resolveApiBase('10.0.0.5')).toBe('https://10.0.0.5');
  });

  it('keeps an explicit loopback http URL as given (the sandbox)', () => {
    expect(resolveApiBase('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(resolveApiBase('http://localhost:41234/')).toBe('http://localhost:41234');
  });

  it('refuses plain http elsewhere unless allowed explicitly', () => {
    expect(() => resolveApiBase('http://cw.example.com')).toThrow(/SSL is required/);
    expect(resolveApiBase('http://sandbox:8080', { allowInsecureHttp: true })).toBe(
      'http://sandbox:8080',
    );
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['na myconnectwise.net', /spaces/],
    ['na.myconnectwise.net/v4_6_release/apis/3.0', /path or query/],
    ['https://cw.example.com/login', /path or query/],
    ['cw.example.com?x=1', /path or query/],
    ['ftp://cw.example.com', /only https/],
    ['https://user:pw@cw.example.com', /user name or password/],
    ['cw_example!.com', /not a host name/],
  ])('refuses %j and says what a site looks like', (site, reason) => {
    let thrown: unknown;
    try {
      resolveApiBase(site);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ManageConfigError);
    expect((thrown as Error).message).toMatch(reason);
    expect((thrown as Error).message).toMatch(/na\.myconnectwise\.net|https:\/\//);
  });
});
