/** Who may do what: staff roles are ranked (admin ⊇ manager ⊇ engineer); subscribers stand apart. */
import type { Role } from '../core/model';
import type { Audience } from './types';

const RANK: Readonly<Record<Role | 'unknown', number>> = {
  unknown: -1,
  visitor: -1,
  subscriber: 0,
  engineer: 1,
  manager: 2,
  admin: 3,
};

export function mayRun(audience: readonly Audience[], role: Role | 'unknown'): boolean {
  return audience.some((a) =>
    a === 'everyone' ? true : a === 'subscriber' ? role === 'subscriber' : RANK[role] >= RANK[a],
  );
}

export function isStaff(role: Role | 'unknown'): boolean {
  return RANK[role] >= RANK.engineer;
}
