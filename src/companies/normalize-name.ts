/**
 * Company names reduced to what identifies the company, so spellings of one company compare equal.
 *
 * The integration page asks that the backup console's company name equal the ConnectWise Company
 * ID exactly. In practice the two are typed by different people: `Acme Inc.` in one place,
 * `ACME` or `AcmeInc` in the other, `Müller & Söhne GmbH` next to `Muller and Sohne`. The
 * normalised form drops what differs between such spellings and keeps what tells companies apart.
 */

// Lower-case letters that NFKD does not split into a base letter and a mark. They are spelt out
// after case folding, so `Æther` is split at case changes as one word, not as `A Ether`.
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};
const SPECIAL_LETTER = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'g');

// Legal forms written in mixed case, which splitting at case changes would tear apart
// (`GmbH` into `Gmb H`); they become separate lower-case words before that split.
const MIXED_CASE_FORMS = /(GmbH|mbH|KGaA|SpA|ApS|SaRL)(?![\p{L}\p{N}])/gu;

/**
 * Legal-form words removed from the end of a name, as they read after punctuation is dropped and
 * single letters are joined (`L.L.C.` is `llc`, `S.A.` is `sa`, `sp. z o.o.` is `sp zoo`).
 */
export const LEGAL_SUFFIXES: ReadonlySet<string> = new Set([
  // English-speaking countries
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'llc',
  'pllc',
  'llp',
  'lllp',
  'lp',
  'ltd',
  'limited',
  'plc',
  'pty',
  'pte',
  'pvt',
  'ulc',
  'pc',
  // German-speaking countries
  'gmbh',
  'mbh',
  'ag',
  'kg',
  'kgaa',
  'ohg',
  'ug',
  'ev',
  // Romance languages
  'sa',
  'sas',
  'sasu',
  'sarl',
  'eurl',
  'sagl',
  'sl',
  'slu',
  'srl',
  'spa',
  'ltda',
  'lda',
  'cv',
  // Benelux, Nordics, Baltics
  'bv',
  'bvba',
  'nv',
  'vof',
  'ab',
  'as',
  'asa',
  'aps',
  'oy',
  'oyj',
  'ou',
  'sia',
  'uab',
  'ehf',
  'hf',
  // Central and Eastern Europe, Asia, pan-European
  'sro',
  'kft',
  'zrt',
  'nyrt',
  'doo',
  'sp',
  'zoo',
  'kk',
  'bhd',
  'sdn',
  'se',
]);

// Joining words left dangling once a legal form is gone: `Smith & Co` → `smith and` → `smith`,
// `Acme S.A. de C.V.` → `acme sa de` → `acme`.
const CONNECTORS: ReadonlySet<string> = new Set(['and', 'de', 'und', 'et', 'y']);

/** Joins runs of one-character words: `l l c` → `llc`, `j b hunt` → `jb hunt`. */
function joinSingleCharacters(words: readonly string[]): string[] {
  const joined: string[] = [];
  let run = '';
  for (const word of words) {
    if (word.length === 1) {
      run += word;
      continue;
    }
    if (run) joined.push(run);
    run = '';
    joined.push(word);
  }
  if (run) joined.push(run);
  return joined;
}

/** The words of a normalised name; see `normalizeCompanyName`. */
export function companyNameWords(name: string): string[] {
  const text = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    // Split at case changes while case is still known: identifiers such as `AcmeInc` or
    // `ACMEServices` carry their word breaks only there.
    .replace(MIXED_CASE_FORMS, (form) => ` ${form.toLowerCase()}`)
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .toLowerCase()
    .replace(SPECIAL_LETTER, (letter) => SPECIAL_LETTERS[letter] ?? letter)
    .replace(/&/g, ' and ')
    // Apostrophes join (`McDonald's` → `mcdonalds`); every other non-alphanumeric separates.
    .replace(/['’‘`ʼ]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (text === '') return [];

  const words = joinSingleCharacters(text.split(' '));
  if (words.length > 1 && words[0] === 'the') words.shift();
  if (words.length > 1 && words[words.length - 1] === 'the') words.pop();

  // Legal forms come off the end, several if there are (`pty ltd`), never the last word left.
  let stripped = false;
  while (words.length > 1) {
    const last = words[words.length - 1] ?? '';
    if (LEGAL_SUFFIXES.has(last) || (stripped && CONNECTORS.has(last))) {
      words.pop();
      stripped = true;
      continue;
    }
    break;
  }
  return words;
}

/**
 * Normalises a company name for comparison: accents removed (NFKD), case folded, `&` read as
 * `and`, punctuation and runs of spaces turned into single spaces, single letters joined
 * (`A.B.C.` → `abc`), a leading (or trailing) `the` and trailing legal forms (Inc, LLC, Ltd, GmbH,
 * S.A., Pty Ltd, …; see `LEGAL_SUFFIXES`) removed. A name of only punctuation gives `''`.
 *
 * @example
 * normalizeCompanyName('The Müller & Söhne GmbH & Co. KG'); // 'muller and sohne'
 * normalizeCompanyName('Wayne Enterprises, Inc.');          // 'wayne enterprises'
 */
export function normalizeCompanyName(name: string): string {
  return companyNameWords(name).join(' ');
}

/**
 * The normalised name without spaces, the form names are compared in: `Coca-Cola`, `Coca Cola`
 * and the identifier `CocaCola` are one company.
 *
 * @example
 * compactCompanyName('Coca-Cola Co.'); // 'cocacola'
 */
export function compactCompanyName(name: string): string {
  return companyNameWords(name).join('');
}
