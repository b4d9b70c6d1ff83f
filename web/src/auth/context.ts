// Who is logged in: the session's state and `GET /me` (user, company, role, permissions, site
// scope), shared by every page. The provider is in AuthProvider.tsx.
import { createContext, useContext } from 'react';

import type { LoginResponse, Me } from '../api/client';
import type { EndReason } from '../api/session';

export type AuthStatus = 'loading' | 'anonymous' | 'authenticated' | 'error';

export interface AuthValue {
  status: AuthStatus;
  me: Me | null;
  /** Why the last session ended (shown on the login page). */
  endReason: EndReason | null;
  can: (...permissions: string[]) => boolean;
  /** Starts the session of a login or signup answer. */
  signIn: (response: LoginResponse) => Promise<void>;
  signOut: () => Promise<void>;
  /**
   * Forgets a session the server has already ended (a confirmed address or a reset password
   * ends every session of the person), here and in the other tabs.
   */
  endSession: (reason: EndReason) => void;
  retry: () => void;
}

export const AuthContext = createContext<AuthValue | null>(null);

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The logged-in member; only for pages behind `RequireAuth`. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}
