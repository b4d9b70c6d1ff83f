import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';

import { api, call, session, type LoginResponse } from '../api/client';
import type { EndReason } from '../api/session';
import { isLanguage, setLanguage } from '../i18n';
import { can } from '../lib/permissions';
import { AuthContext, type AuthStatus, type AuthValue } from './context';

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [active, setActive] = useState(session.active);
  const [endReason, setEndReason] = useState<EndReason | null>(null);
  // A session replacing another (another company, a new company, an invitation accepted): the
  // app under it unmounts meanwhile and starts afresh, so that nothing keeps showing the
  // previous session's data (the cache is emptied under mounted queries).
  const [renewing, setRenewing] = useState(false);

  useEffect(
    () =>
      session.onEnd((reason) => {
        setActive(false);
        setEndReason(reason);
        queryClient.clear();
      }),
    [queryClient],
  );

  const meQuery = useQuery({
    queryKey: ['me'],
    queryFn: () => call(api.GET('/me')),
    enabled: active,
    retry: false,
    staleTime: 60_000,
  });
  const me = active ? (meQuery.data ?? null) : null;
  const refetch = meQuery.refetch;

  // The interface speaks the user's language once they are known.
  const locale = me?.user.locale;
  useEffect(() => {
    if (isLanguage(locale)) void setLanguage(locale);
  }, [locale]);

  const signIn = useCallback(
    async (response: LoginResponse) => {
      const replacing = session.active;
      if (replacing) setRenewing(true);
      try {
        queryClient.clear();
        // The refresh token is in the HttpOnly cookie the answer set: only the access token here.
        session.start({ access_token: response.access_token });
        if (isLanguage(response.user.locale)) await setLanguage(response.user.locale);
        setEndReason(null);
        setActive(true);
        await queryClient.fetchQuery({ queryKey: ['me'], queryFn: () => call(api.GET('/me')) });
      } finally {
        if (replacing) setRenewing(false);
      }
    },
    [queryClient],
  );

  // Another tab logged in or switched company: this tab's data belongs to the previous
  // session, and its calls now go with the new one. It starts afresh too.
  useEffect(
    () =>
      session.onStartedElsewhere(() => {
        setRenewing(true);
        queryClient.clear();
        setEndReason(null);
        setActive(true);
        void queryClient
          .fetchQuery({ queryKey: ['me'], queryFn: () => call(api.GET('/me')) })
          .catch(() => undefined)
          .finally(() => setRenewing(false));
      }),
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await call(api.POST('/auth/logout'));
    } catch {
      // The session ends here whatever the server says.
    }
    session.end('logout');
  }, []);

  const endSession = useCallback((reason: EndReason) => {
    if (session.active) session.end(reason);
  }, []);

  const status: AuthStatus = !active
    ? 'anonymous'
    : renewing
      ? 'loading'
      : me
        ? 'authenticated'
        : meQuery.isError
          ? 'error'
          : 'loading';

  const value = useMemo<AuthValue>(
    () => ({
      status,
      me,
      endReason,
      can: (...permissions: string[]) => can(me?.permissions, ...permissions),
      signIn,
      signOut,
      endSession,
      retry: () => void refetch(),
    }),
    [status, me, endReason, signIn, signOut, endSession, refetch],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
