import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, isAbortError, onUnauthorized } from '../api/client';
import { fetchMe, logIn as requestLogIn, logOut as requestLogOut } from '../api/auth';
import type { Me } from '../api/types';
import { isGranted, type PermissionName } from './permissions';
import { SessionContext, type Session, type SessionStatus } from './session-context';

/**
 * Holds the signed-in account. It asks `/api/auth/me` once at start; any later 401 from any
 * request flips it to signed-out, which sends the person to the log-in page.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>('checking');
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [checkCount, setCheckCount] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchMe(controller.signal).then(
      (account) => {
        setMe(account);
        setStatus('signedIn');
      },
      (failure: unknown) => {
        if (isAbortError(failure)) return;
        if (failure instanceof ApiError && failure.status === 401) {
          setMe(null);
          setStatus('signedOut');
          return;
        }
        setError(failure);
        setStatus('unreachable');
      },
    );
    return () => controller.abort();
  }, [checkCount]);

  useEffect(() => {
    onUnauthorized(() => {
      setMe(null);
      setStatus('signedOut');
    });
    return () => onUnauthorized(null);
  }, []);

  const logIn = useCallback(async (username: string, password: string) => {
    const account = await requestLogIn(username, password);
    setMe(account);
    setStatus('signedIn');
    return account;
  }, []);

  const logOut = useCallback(async () => {
    try {
      await requestLogOut();
    } finally {
      setMe(null);
      setStatus('signedOut');
    }
  }, []);

  const recheck = useCallback(() => {
    setStatus('checking');
    setCheckCount((count) => count + 1);
  }, []);

  const can = useCallback((permission: PermissionName) => (me ? isGranted(me.permissions, permission) : false), [me]);

  const session = useMemo<Session>(
    () => ({ status, me, error, logIn, logOut, recheck, can }),
    [status, me, error, logIn, logOut, recheck, can],
  );
  return <SessionContext value={session}>{children}</SessionContext>;
}
