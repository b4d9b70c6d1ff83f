import { describe, expect, it } from 'vitest';

import { homeSections, todayRange } from './home';

// The built-in roles' permissions (GET /roles in the demo company).
const ADMIN = [
  'sites:read',
  'sites:manage',
  'users:read',
  'users:manage',
  'roles:read',
  'roles:manage',
  'audit:read',
  'equipment:read',
  'equipment:manage',
  'meters:record',
  'requests:create',
  'requests:read',
  'requests:approve',
  'work_orders:read',
  'work_orders:comment',
  'work_orders:manage',
  'work_orders:execute',
  'work_orders:validate',
  'failure_codes:manage',
  'pm_plans:read',
  'pm_plans:manage',
  'jobs:read',
];
const SUPERVISOR = ADMIN.filter(
  (p) => !['sites:manage', 'users:manage', 'roles:manage', 'audit:read', 'jobs:read'].includes(p),
);
const TECHNICIAN = [
  'sites:read',
  'equipment:read',
  'meters:record',
  'requests:create',
  'work_orders:read',
  'work_orders:comment',
  'work_orders:execute',
  'pm_plans:read',
];
const OPERATOR = ['sites:read', 'equipment:read', 'meters:record', 'requests:create'];
const VIEWER = [
  'sites:read',
  'equipment:read',
  'requests:read',
  'work_orders:read',
  'pm_plans:read',
];

describe('home page sections', () => {
  it('gives each built-in role its own work first', () => {
    expect(homeSections(OPERATOR)).toEqual({
      myRequests: true,
      myWork: false,
      supervision: false,
      setup: false,
      overview: false,
    });
    expect(homeSections(TECHNICIAN)).toMatchObject({ myWork: true, myRequests: false });
    expect(homeSections(TECHNICIAN).overview).toBe(false);
    expect(homeSections(SUPERVISOR)).toMatchObject({ supervision: true, myWork: false });
    expect(homeSections(ADMIN)).toMatchObject({ supervision: true, setup: true });
    expect(homeSections(VIEWER)).toEqual({
      myRequests: false,
      myWork: false,
      supervision: false,
      setup: false,
      overview: true,
    });
  });

  it('follows permissions, not role names: a custom role mixes sections', () => {
    // Approves requests without planning work orders: the inbox, not "my work".
    expect(homeSections([...TECHNICIAN, 'requests:approve'])).toMatchObject({
      supervision: true,
      myWork: true,
    });
    // An administrator of people only.
    expect(homeSections(['users:read', 'users:manage'])).toMatchObject({
      setup: true,
      supervision: false,
      overview: false,
    });
  });

  it("gives today's bounds in local time", () => {
    const range = todayRange(new Date(2026, 11, 3, 15, 20));
    expect(range.day).toBe('2026-12-03');
    expect(range.from).toBe(new Date(2026, 11, 3).toISOString());
    expect(range.to).toBe(new Date(2026, 11, 4).toISOString());
  });
});
