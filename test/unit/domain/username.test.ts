import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  baseUsername,
  isValidUsername,
  usernameCandidate,
  USERNAME_MAX_LENGTH,
} from '../../../domain/username.js';

describe('baseUsername', () => {
  const cases: [label: string, email: string | null, first: string, last: string, expected: string][] = [
    ['takes the e-mail local part', 'anna.schmidt@example.com', 'X', 'Y', 'anna.schmidt'],
    ['falls back to first.last without an e-mail', null, 'Anna', 'Schmidt', 'anna.schmidt'],
    ['writes German umlauts and ß out', null, 'Jürgen', 'Groß', 'juergen.gross'],
    ['writes umlauts out in the e-mail too', 'hans.müller@example.de', 'X', 'Y', 'hans.mueller'],
    ['strips other accents', null, 'José', 'Núñez', 'jose.nunez'],
    ['handles Scandinavian letters', null, 'Øystein', 'Ærø', 'oystein.aero'],
    ['drops apostrophes', null, 'Seán', "O'Brien", 'sean.obrien'],
    ['drops typographic apostrophes', null, 'Dara', 'O’Neill', 'dara.oneill'],
    ['keeps hyphens', null, 'Anna-Lena', 'Kühn', 'anna-lena.kuehn'],
    ['turns spaces into dots', null, 'Anne Marie', 'van der Berg', 'anne.marie.van.der.berg'],
    ['romanises Cyrillic', null, 'Дмитрий', 'Иванов', 'dmitriy.ivanov'],
    ['romanises Greek', null, 'Γιώργος', 'Νικολάου', 'giorgos.nikolaoy'],
    ['drops a +tag sub-address', 'anna+hr@example.com', 'X', 'Y', 'anna'],
    ['takes an address without @ whole', 'anna.schmidt', 'X', 'Y', 'anna.schmidt'],
    ['prefixes a leading digit with u', '1password@example.com', 'X', 'Y', 'u1password'],
    ['collapses punctuation runs and trims the ends', '..a__b--c..@example.com', 'X', 'Y', 'a_b-c'],
    ['falls back to the name when nothing of the e-mail is usable', '李@example.cn', 'Wei', 'Li', 'wei.li'],
    ['falls back to "user" when nothing is usable at all', null, '李', '王', 'user'],
  ];
  for (const [label, email, first, last, expected] of cases) {
    it(label, () => assert.equal(baseUsername(email, first, last), expected));
  }

  it('cuts to 30 characters without leaving punctuation at the end', () => {
    const username = baseUsername('a.very.long.local.part.that.goes.beyond@example.com', 'X', 'Y');
    assert.equal(username, 'a.very.long.local.part.that.go');
    assert.equal(username.length, USERNAME_MAX_LENGTH);
    assert.equal(baseUsername(null, 'Anna-Lena', 'Müller-Lüdenscheidt'), 'anna-lena.mueller-luedenscheid');
    assert.equal(
      baseUsername('abcdefghijklmnopqrstuvwxyz123.x@example.com', 'X', 'Y'),
      'abcdefghijklmnopqrstuvwxyz123',
    );
  });

  it('always produces a valid username', () => {
    const awkward = ['', ' ', '@', '__@x', '9@x', 'ä.ö.ü@x', '-.-@x', 'a@b@c', '😀@x', 'x'.repeat(100)];
    for (const email of awkward) {
      const username = baseUsername(email, '😀', '1');
      assert.ok(isValidUsername(username), `${JSON.stringify(email)} gave ${username}`);
    }
  });
});

describe('usernameCandidate', () => {
  it('tries the base first, then base.<personioId>, then numbered variants', () => {
    assert.deepEqual(
      [0, 1, 2, 3].map((attempt) => usernameCandidate('anna', 7, attempt)),
      ['anna', 'anna.7', 'anna.7.2', 'anna.7.3'],
    );
  });

  it('shortens the base so the variant fits in 30 characters', () => {
    const base = 'a.very.long.local.part.that.go';
    assert.equal(usernameCandidate(base, 123456, 1), 'a.very.long.local.part.123456');
    assert.equal(usernameCandidate(base, 123456, 2), 'a.very.long.local.par.123456.2');
  });

  it('is deterministic and valid for every attempt', () => {
    for (const base of ['anna', 'a.very.long.local.part.that.go', 'u1', 'user']) {
      const first = Array.from({ length: 12 }, (_, attempt) => usernameCandidate(base, 98765, attempt));
      const again = Array.from({ length: 12 }, (_, attempt) => usernameCandidate(base, 98765, attempt));
      assert.deepEqual(first, again);
      assert.equal(new Set(first).size, first.length, 'variants must differ from each other');
      for (const username of first) assert.ok(isValidUsername(username), username);
    }
  });

  it('gives two employees with the same base different variants', () => {
    assert.notEqual(usernameCandidate('anna', 1, 1), usernameCandidate('anna', 2, 1));
  });

  it('rejects a negative or fractional attempt and a bad id', () => {
    const attempt = { name: 'RangeError', message: /attempt must be a whole number ≥ 0; got -1/ };
    assert.throws(() => usernameCandidate('anna', 1, -1), attempt);
    assert.throws(() => usernameCandidate('anna', 1, 0.5), RangeError);
    const id = { name: 'RangeError', message: /personioId must be a positive whole number; got 0/ };
    assert.throws(() => usernameCandidate('anna', 0, 1), id);
  });

  it('refuses a suffix that leaves no room for a name, and fits one that leaves one character', () => {
    const id = Number.MAX_SAFE_INTEGER; // 16 digits: ".<id>.<attempt>" is 18 characters + the attempt's
    assert.throws(() => usernameCandidate('anna', id, 999_999_999_999), {
      name: 'RangeError',
      message: /no room for a username with suffix '\.9007199254740991\.999999999999'/,
    });
    assert.equal(usernameCandidate('anna', id, 99_999_999_999), 'a.9007199254740991.99999999999');
  });
});

describe('isValidUsername', () => {
  it('accepts what JumpCloud accepts', () => {
    for (const username of ['a', 'anna.schmidt', 'A_b-c.9', 'a'.repeat(30)])
      assert.ok(isValidUsername(username), username);
  });

  it('rejects what JumpCloud rejects', () => {
    for (const username of ['', '1anna', '.anna', 'anna schmidt', 'anna@example', 'jürgen', 'a'.repeat(31)]) {
      assert.ok(!isValidUsername(username), username);
    }
  });
});
