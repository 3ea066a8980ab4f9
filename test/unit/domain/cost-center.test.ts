import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareCodeUnits, primaryCostCenter } from '../../../domain/cost-center.js';
import type { CostCenter } from '../../../domain/personio-record.js';

const cc = (name: string, percentage: number | null, id: number | null = null): CostCenter => ({
  id,
  name,
  percentage,
});

describe('primaryCostCenter', () => {
  it('is null without cost centers', () => {
    assert.equal(primaryCostCenter([]), null);
  });

  it('picks the largest percentage', () => {
    assert.equal(primaryCostCenter([cc('Alpha', 40), cc('Beta', 60)])?.name, 'Beta');
  });

  it('breaks a tie by the name that sorts first ignoring case, whatever the order', () => {
    const tied = [cc('marketing', 50), cc('Engineering', 50)];
    assert.equal(primaryCostCenter(tied)?.name, 'Engineering');
    assert.equal(primaryCostCenter([...tied].reverse())?.name, 'Engineering');
  });

  it('compares ignoring case, not by upper-case-first code order', () => {
    // Plain code-unit order would put "Zeta" before "alpha".
    assert.equal(primaryCostCenter([cc('Zeta', 50), cc('alpha', 50)])?.name, 'alpha');
  });

  it('breaks a tie between names equal ignoring case by exact spelling, then id', () => {
    assert.equal(primaryCostCenter([cc('sales', 50), cc('Sales', 50)])?.name, 'Sales');
    assert.equal(primaryCostCenter([cc('Sales', 50, 9), cc('Sales', 50, 3)])?.id, 3);
  });

  it('ranks a missing percentage below any number', () => {
    assert.equal(primaryCostCenter([cc('Alpha', null), cc('Beta', 0)])?.name, 'Beta');
    assert.equal(primaryCostCenter([cc('Beta', null), cc('Alpha', null)])?.name, 'Alpha');
  });

  /** Every order of `items`. */
  function orders<T>(items: readonly T[]): T[][] {
    if (items.length <= 1) return [[...items]];
    return items.flatMap((item, i) =>
      orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
    );
  }

  // The id of the one chosen, whatever order Personio lists them in.
  const table: { rule: string; centers: CostCenter[]; chosen: number }[] = [
    {
      rule: 'largest percentage',
      centers: [cc('Alpha', 40, 1), cc('Beta', 60, 2), cc('Gamma', 10, 3)],
      chosen: 2,
    },
    { rule: 'a missing percentage below zero', centers: [cc('Alpha', null, 1), cc('Beta', 0, 2)], chosen: 2 },
    { rule: 'both missing: by name', centers: [cc('Beta', null, 1), cc('Alpha', null, 2)], chosen: 2 },
    {
      rule: 'tie: name ignoring case',
      centers: [cc('marketing', 50, 1), cc('Engineering', 50, 2)],
      chosen: 2,
    },
    { rule: 'tie: exact spelling', centers: [cc('sales', 50, 1), cc('Sales', 50, 2)], chosen: 2 },
    { rule: 'tie: smaller id', centers: [cc('Sales', 50, 9), cc('Sales', 50, 3)], chosen: 3 },
    {
      rule: 'tie: a missing id after any id',
      centers: [cc('Sales', 50, null), cc('Sales', 50, 4)],
      chosen: 4,
    },
  ];
  for (const { rule, centers, chosen } of table) {
    it(`${rule}, in every order`, () => {
      for (const order of orders(centers))
        assert.equal(primaryCostCenter(order)?.id, chosen, order.map((c) => c.name).join(', '));
    });
  }
});

describe('compareCodeUnits', () => {
  it('orders by UTF-16 code units: negative, positive, zero', () => {
    assert.equal(compareCodeUnits('a', 'b'), -1);
    assert.equal(compareCodeUnits('b', 'a'), 1);
    assert.equal(compareCodeUnits('Z', 'a'), -1);
    assert.equal(compareCodeUnits('a', 'a'), 0);
  });
});
