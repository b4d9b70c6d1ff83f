import { describe, expect, it } from 'vitest';

import {
  NAV_ITEMS,
  can,
  grantableRoles,
  groupByArea,
  isSubset,
  visibleNavItems,
} from './permissions';

const ADMIN = [
  'sites:read',
  'sites:manage',
  'users:read',
  'users:manage',
  'roles:read',
  'roles:manage',
  'audit:read',
];
const SUPERVISOR = ['sites:read', 'users:read', 'roles:read'];
const TECHNICIAN = ['sites:read'];

const keysOf = (permissions: string[]) => visibleNavItems(NAV_ITEMS, permissions).map((i) => i.key);

describe('navigation by permission', () => {
  it('shows everything to an administrator', () => {
    expect(keysOf(ADMIN)).toEqual(['home', 'sites', 'users', 'roles', 'audit']);
  });

  it('shows a supervisor people and roles but not the audit log', () => {
    expect(keysOf(SUPERVISOR)).toEqual(['home', 'sites', 'users', 'roles']);
  });

  it('shows a technician only the home page and the sites', () => {
    expect(keysOf(TECHNICIAN)).toEqual(['home', 'sites']);
  });

  it('always shows the home page, even without any permission', () => {
    expect(keysOf([])).toEqual(['home']);
  });

  it('requires every permission an item lists', () => {
    const items = [{ key: 'both', to: '/x', requires: ['a:read', 'b:read'] }];
    expect(visibleNavItems(items, ['a:read'])).toEqual([]);
    expect(visibleNavItems(items, ['a:read', 'b:read'])).toHaveLength(1);
  });
});

describe('permission helpers', () => {
  it('can() checks every permission and refuses without a session', () => {
    expect(can(ADMIN, 'sites:manage', 'audit:read')).toBe(true);
    expect(can(TECHNICIAN, 'sites:manage')).toBe(false);
    expect(can(undefined, 'sites:read')).toBe(false);
    expect(can(TECHNICIAN)).toBe(true);
  });

  it('offers only roles that grant nothing beyond the caller’s own permissions', () => {
    const roles = [
      { id: 'admin', permissions: ADMIN },
      { id: 'supervisor', permissions: SUPERVISOR },
      { id: 'technician', permissions: TECHNICIAN },
    ];
    expect(grantableRoles(roles, SUPERVISOR).map((r) => r.id)).toEqual([
      'supervisor',
      'technician',
    ]);
    expect(grantableRoles(roles, ADMIN)).toHaveLength(3);
    expect(isSubset([], TECHNICIAN)).toBe(true);
  });

  it('groups permissions by area in catalogue order', () => {
    const groups = groupByArea([
      { key: 'sites:read', area: 'sites' },
      { key: 'users:read', area: 'users' },
      { key: 'sites:manage', area: 'sites' },
    ]);
    expect(groups.map((g) => [g.area, g.items.map((i) => i.key)])).toEqual([
      ['sites', ['sites:read', 'sites:manage']],
      ['users', ['users:read']],
    ]);
  });
});
