import { describe, expect, it } from 'vitest';

import { compactCompanyName, normalizeCompanyName } from './normalize-name.js';

describe('normalizeCompanyName', () => {
  it('folds case and collapses punctuation and whitespace', () => {
    expect(normalizeCompanyName('  ACME   Widgets!! ')).toBe('acme widgets');
    expect(normalizeCompanyName('Acme/Widgets-North\t(EU)')).toBe('acme widgets north eu');
  });

  it('removes accents and spells out letters NFKD cannot split', () => {
    expect(normalizeCompanyName('Société Générale')).toBe('societe generale');
    expect(normalizeCompanyName('Ørsted Straße')).toBe('orsted strasse');
    expect(normalizeCompanyName('Łódź Æther')).toBe('lodz aether');
    expect(normalizeCompanyName('ＡＣＭＥ')).toBe('acme');
  });

  it('reads & as and', () => {
    expect(normalizeCompanyName('Smith & Wesson')).toBe('smith and wesson');
    expect(normalizeCompanyName('Smith&Wesson')).toBe(normalizeCompanyName('Smith and Wesson'));
  });

  it('joins apostrophes and single letters', () => {
    expect(normalizeCompanyName("Dave's Garage")).toBe('daves garage');
    expect(normalizeCompanyName('A.B.C. Plumbing')).toBe('abc plumbing');
    expect(normalizeCompanyName('J B Hunt')).toBe(normalizeCompanyName('JB Hunt'));
  });

  it.each([
    'Inc',
    'Inc.',
    'Incorporated',
    'LLC',
    'L.L.C.',
    'Ltd',
    'Ltd.',
    'Limited',
    'GmbH',
    'AG',
    'SA',
    'S.A.',
    'SARL',
    'S.à r.l.',
    'BV',
    'B.V.',
    'NV',
    'Pty Ltd',
    'Pty. Ltd.',
    'Co',
    'Co.',
    'Corp',
    'Corp.',
    'Corporation',
    'Company',
    'PLC',
    'LLP',
    'LP',
    'Oy',
    'AB',
    'AS',
    'A/S',
    'ApS',
    'KG',
    'GmbH & Co. KG',
    'SRL',
    'S.r.l.',
    'SpA',
    'S.p.A.',
    'Sp. z o.o.',
    'S.A. de C.V.',
    'Co., Ltd.',
  ])('removes the legal form %s at the end', (suffix) => {
    expect(normalizeCompanyName(`Acme Widgets ${suffix}`)).toBe('acme widgets');
    expect(normalizeCompanyName(`Acme Widgets, ${suffix}`)).toBe('acme widgets');
  });

  it('keeps legal-form words that are not at the end', () => {
    expect(normalizeCompanyName('Company Store Inc')).toBe('company store');
    expect(normalizeCompanyName('AG Growers')).toBe('ag growers');
  });

  it('never removes the last word', () => {
    expect(normalizeCompanyName('Company')).toBe('company');
    expect(normalizeCompanyName('The Company')).toBe('company');
    expect(normalizeCompanyName('Inc.')).toBe('inc');
  });

  it('removes a leading or trailing "the"', () => {
    expect(normalizeCompanyName('The Acme Company')).toBe('acme');
    expect(normalizeCompanyName('Acme Company, The')).toBe('acme');
    expect(normalizeCompanyName('Theodore Ltd')).toBe('theodore');
  });

  it('drops an "and" left dangling by a removed legal form', () => {
    expect(normalizeCompanyName('Smith & Co.')).toBe('smith');
    expect(normalizeCompanyName('Smith & Sons')).toBe('smith and sons');
  });

  it('splits identifiers at case changes, so glued legal forms come off too', () => {
    expect(normalizeCompanyName('AcmeInc')).toBe('acme');
    expect(normalizeCompanyName('ACMEServicesLLC')).toBe('acme services');
    expect(normalizeCompanyName('MullerGmbH')).toBe('muller');
    expect(normalizeCompanyName('WayneEnterprises')).toBe(
      normalizeCompanyName('Wayne Enterprises'),
    );
  });

  it('keeps letters and digits of any script', () => {
    expect(normalizeCompanyName('Рога и Копыта ООО')).toBe('рога и копыта ооо');
    expect(normalizeCompanyName('Store 12')).toBe('store 12');
  });

  it('gives an empty string for a name without letters or digits', () => {
    expect(normalizeCompanyName(' .,;!? ')).toBe('');
    expect(normalizeCompanyName('')).toBe('');
  });
});

describe('compactCompanyName', () => {
  it('makes spaced, hyphenated and glued spellings one', () => {
    const forms = ['Coca-Cola Co.', 'Coca Cola', 'CocaCola', 'COCA-COLA COMPANY', 'coca·cola'];
    expect(new Set(forms.map(compactCompanyName))).toEqual(new Set(['cocacola']));
  });
});
