import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  capText,
  cleanPersonioText,
  csvCell,
  escapeChatText,
  stripTerminalEscapes,
} from '../../domain/text-safety.js';
import { parseEmployee } from '../../domain/personio-record.js';

const attr = (value: unknown) => ({ label: 'x', value, type: 'standard' });

describe('text from Personio is data', () => {
  it('CSV cells: formulas neutralised (OWASP), separators and quotes quoted', () => {
    assert.equal(csvCell('=HYPERLINK("http://evil.test","x")'), `"'=HYPERLINK(""http://evil.test"",""x"")"`);
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      assert.match(csvCell(`${start}1+1`), /^"'/, JSON.stringify(start));
    assert.equal(csvCell('a;b'), '"a;b"');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
    assert.equal(csvCell('Zoë Müller'), 'Zoë Müller');
    assert.equal(csvCell(1042), '1042');
    assert.equal(csvCell('a\u001b[31mb'), 'a[31mb', 'no control character survives');
  });

  it('names: control characters become spaces, bidi overrides go', () => {
    assert.equal(cleanPersonioText('Ann\u202Egnp.exe'), 'Anngnp.exe');
    assert.equal(cleanPersonioText(' Bob\u0000\u001b[2JSmith\u2066 '), 'Bob  [2JSmith');
    assert.equal(cleanPersonioText('Zoe\u0308'), 'Zoë', 'NFC');
  });

  it('lengths: cut at the limit by code points, the cut counted', () => {
    assert.deepEqual(capText('abc', 5), { text: 'abc', cut: 0 });
    assert.deepEqual(capText('😀😀😀', 2), { text: '😀😀', cut: 1 });
  });

  it('a parsed employee is cleaned, capped at 1024, and the cut is a warning', () => {
    const parsed = parseEmployee({
      type: 'Employee',
      attributes: {
        id: attr(7),
        first_name: attr('Eve\u202E'),
        last_name: attr('x'.repeat(3000)),
        status: attr('active'),
        department: attr({ type: 'Department', attributes: { id: 1, name: '\u001b]0;pwned\u0007Sales' } }),
      },
    });
    assert.ok(parsed.ok);
    assert.equal(parsed.employee.firstName, 'Eve');
    assert.equal(parsed.employee.lastName.length, 1024);
    assert.equal(parsed.employee.department, ']0;pwned Sales', 'no control character is left');
    assert.ok(
      parsed.employee.warnings.some((w) =>
        /last_name: cut from 3000 to 1024 characters \(JumpCloud's limit; 1976 characters cut\)/.test(w),
      ),
    );
    assert.ok(parsed.employee.warnings.some((w) => /first_name: control or bidi-override/.test(w)));
  });

  it('chat text: no mentions, links or formatting can be formed', () => {
    assert.equal(
      escapeChatText('<!channel> <https://x.test|y> a&b'),
      '&lt;!channel&gt; &lt;https://x.test|y&gt; a&amp;b',
    );
    assert.equal(escapeChatText('*bold* _i_'), '*\u200bbold*\u200b _\u200bi_\u200b');
  });

  it('terminal: escape sequences and control characters removed, text kept', () => {
    assert.equal(stripTerminalEscapes('a\u001b[2J\u001b[31mred\u001b[0m b'), 'ared b');
    assert.equal(stripTerminalEscapes('\u001b]0;title\u0007ok'), 'ok');
    assert.equal(stripTerminalEscapes('x\ry\u0008z\n\tw'), 'xyz\n\tw');
  });

  it('terminal: unterminated titles, 8-bit CSI with parameters and intermediates, two-byte escapes', () => {
    for (const [text, shown] of [
      ['a\u001b]0;title', 'a'],
      ['\u009b31mred', 'red'],
      ['\u009b1;31mred\u009b0m', 'red'],
      ['\u009b2 qcursor', 'cursor'],
      ['a\u001bNb', 'ab'],
      ['a\u001b', 'a'],
      ['a\u001bzb', 'azb'],
    ] as const)
      assert.equal(stripTerminalEscapes(text), shown, JSON.stringify(text));
  });

  it('CSV cells: only a leading sign is a formula; nothing is an empty cell', () => {
    assert.equal(csvCell('anna-lena@example.com'), 'anna-lena@example.com');
    assert.equal(csvCell('a=b'), 'a=b');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(undefined), '');
    assert.equal(csvCell(true), 'true');
  });

  it('lengths: a text of exactly the limit is kept whole', () => {
    assert.deepEqual(capText('abc', 3), { text: 'abc', cut: 0 });
  });
});
