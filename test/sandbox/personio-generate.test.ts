import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { customKeys } from '../../sandbox/personio/attributes.js';
import { dirtyCases, FIRST_EMPLOYEE_ID, generateEmployees } from '../../sandbox/personio/generate.js';
import { employeeStatuses, isOrgUnit, type EmployeeRecord } from '../../sandbox/personio/model.js';
import { emailLocalPart } from '../../sandbox/personio/names.js';

const digest = (employees: EmployeeRecord[]) =>
  createHash('sha256').update(JSON.stringify(employees)).digest('hex');
const personioDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

describe('generateEmployees', () => {
  const clean = generateEmployees({ count: 5000, seed: 42 });

  test('the same seed gives the same data, another seed different data', () => {
    assert.deepEqual(generateEmployees({ count: 5000, seed: 42 }), clean);
    const other = generateEmployees({ count: 5000, seed: 43 });
    assert.notEqual(digest(other), digest(clean));
    assert.ok(other.filter((e, i) => e.email !== clean[i]!.email).length > 4000);
  });

  test('100,000 employees are deterministic', () => {
    const a = generateEmployees({ count: 100_000, seed: 7, dirty: true });
    const b = generateEmployees({ count: 100_000, seed: 7, dirty: true });
    assert.equal(a.length, 100_000);
    assert.equal(digest(a), digest(b));
    assert.equal(new Set(a.map((e) => e.id)).size, 100_000);
    // Historical +00:53 offsets appear among many hire dates.
    assert.ok(a.some((e) => e.hireDate.endsWith('+00:53')));
  });

  test('ids ascend from FIRST_EMPLOYEE_ID; emails are unique ignoring case and ASCII', () => {
    clean.forEach((e, i) => assert.equal(e.id, FIRST_EMPLOYEE_ID + i));
    const emails = clean.map((e) => e.email?.toLowerCase());
    assert.equal(new Set(emails).size, clean.length);
    for (const e of clean) assert.match(e.email ?? '', /^[A-Za-z0-9.-]+@acme\.example\.com$/);
    assert.ok(
      clean.some((e) => /\d@/.test(e.email ?? '')),
      'collisions get a digit',
    );
    assert.ok(
      clean.some((e) => /^[A-Z]/.test(e.email ?? '')),
      'some addresses keep capitals',
    );
  });

  test('names come from many countries and scripts', () => {
    const names = clean.map((e) => `${e.firstName} ${e.lastName}`).join('\n');
    for (const [what, pattern] of [
      ['umlaut', /[äöü]/],
      ['ß', /ß/],
      ['French/Spanish accents', /[éèñíó]/],
      ['apostrophe', /O'/],
      ['hyphenated surname', /\S+-\S+$/m],
      ['Polish', /[łąęśżź]/i],
      ['Turkish', /[şğı]/i],
      ['Japanese', /[\p{Script=Hiragana}\p{Script=Katakana}]|佐藤|鈴木/u],
      ['Chinese', /王|李|张/],
      ['Cyrillic', /\p{Script=Cyrillic}/u],
      ['Greek', /\p{Script=Greek}/u],
      ['Arabic', /\p{Script=Arabic}/u],
    ] as const) {
      assert.match(names, pattern, what);
    }
    const sokolova = clean.find((e) => e.lastName === 'Соколова' || e.lastName === 'Соколов');
    assert.ok(sokolova?.email?.includes('.sokolov'), 'non-Latin names get a romanised address');
    assert.equal(emailLocalPart("Müller-Lüdenscheidt O'Brien Groß"), 'mueller-luedenscheidtobriengross');
  });

  test('all four statuses, mostly active; inactive ones have a termination date', () => {
    const counts = Object.fromEntries(
      employeeStatuses.map((s) => [s, clean.filter((e) => e.status === s).length]),
    );
    for (const s of employeeStatuses) assert.ok(counts[s]! > 0, s);
    assert.ok(counts.active! > clean.length * 0.75);
    for (const e of clean.filter((x) => x.status === 'inactive')) {
      assert.ok(e.terminationDate, `${e.id} has a termination date`);
      assert.ok(Date.parse(e.terminationDate) > Date.parse(e.hireDate));
    }
  });

  test('supervisor tree: a few top managers, every supervisor exists, no cycles, some inactive', () => {
    const byId = new Map(clean.map((e) => [e.id, e]));
    const tops = clean.filter((e) => e.supervisorId === null);
    assert.ok(tops.length >= 1 && tops.length <= 8, `${tops.length} top managers`);
    for (const e of clean) {
      if (e.supervisorId !== null) assert.ok(byId.has(e.supervisorId), `${e.id} → ${e.supervisorId}`);
      const seen = new Set<number>();
      for (let cur: EmployeeRecord | undefined = e; cur; cur = byId.get(cur.supervisorId ?? -1)) {
        assert.ok(!seen.has(cur.id), `cycle through ${e.id}`);
        seen.add(cur.id);
      }
    }
    const supervisors = new Set(clean.map((e) => e.supervisorId));
    assert.ok(clean.some((e) => supervisors.has(e.id) && e.status === 'inactive'));
    assert.ok(
      clean.some((e) => e.supervisorId !== null && e.supervisorId > e.id),
      'managers are not always older ids',
    );
  });

  test('dates carry offsets by season; organisation, cost centers and custom attributes', () => {
    for (const e of clean) {
      for (const d of [e.hireDate, e.createdAt, e.lastModifiedAt, e.terminationDate ?? e.hireDate]) {
        assert.match(d, personioDate);
      }
      assert.ok(Date.parse(e.createdAt) <= Date.parse(e.lastModifiedAt));
      const shares = e.costCenters.map((c) => c.percentage);
      assert.ok(shares.length === 0 || shares.reduce((a, b) => a + b) === 100, `${e.id} cost centers`);
      assert.ok(isOrgUnit(e.department) && isOrgUnit(e.office) && isOrgUnit(e.subcompany));
      assert.ok(Array.isArray(e.custom[customKeys.skills]));
    }
    assert.ok(
      clean.some((e) => e.hireDate.endsWith('+01:00')) && clean.some((e) => e.hireDate.endsWith('+02:00')),
    );
    const shapes = new Set(clean.map((e) => e.costCenters.map((c) => c.percentage).join('/')));
    for (const shape of ['', '100', '60/40', '50/50']) assert.ok(shapes.has(shape), `cost centers ${shape}`);
    assert.ok(clean.some((e) => e.employmentType === 'external') && clean.some((e) => e.team === null));
    assert.equal(new Set(clean.map((e) => isOrgUnit(e.subcompany) && e.subcompany.id)).size, 4);
  });

  test('dirty: true adds exactly the documented cases', () => {
    const dirty = generateEmployees({ count: 50, seed: 42, dirty: true });
    const plain = generateEmployees({ count: 50, seed: 42 });
    const byId = new Map(dirty.map((e) => [e.id, e]));
    const e = (id: number) => byId.get(id)!;
    assert.ok(!('email' in e(1003)));
    assert.equal(e(1004).email, '');
    assert.equal(e(1005).email, 'not-an-email');
    assert.equal(e(1006).email, 'a@b');
    assert.notEqual(e(1007).email, e(1008).email);
    assert.equal(e(1007).email?.toLowerCase(), e(1008).email?.toLowerCase());
    assert.equal(e(1009).department, '');
    assert.deepEqual(e(1010).office, []);
    assert.equal(e(1011).subcompany, '');
    assert.deepEqual(e(1011).team, []);
    assert.deepEqual(JSON.parse(e(1012).custom[customKeys.skills] as string), ['English', 'SAP']);
    assert.equal(e(1013).supervisorId, 1014);
    assert.equal(e(1014).supervisorId, 1013);
    // Everything else is as in clean data.
    const dirtyIds = new Set(dirtyCases.map((c) => c.id));
    assert.deepEqual(
      dirty.filter((x) => !dirtyIds.has(x.id)),
      plain.filter((x) => !dirtyIds.has(x.id)),
    );
    assert.equal(dirtyIds.size, 12);
    // Small companies just have fewer dirty cases.
    assert.equal(generateEmployees({ count: 5, seed: 1, dirty: true }).length, 5);
  });
});
