import { createContext, useContext } from 'react';
import type { Me } from '../api/types';
import type { PermissionName } from './permissions';

/** Where the console stands with the server's session. */
export type SessionStatus = 'checking' | 'signedIn' | 'signedOut' | 'unreachable';

/** The session as components see it. */
export interface Session {
  status: SessionStatus;
  me: Me | null;
  /** Why the first check failed when status is `unreachable`. */
  error: unknown;
  logIn: (username: string, password: string) => Promise<Me>;
  logOut: () => Promise<void>;
  /** Asks the server again (after `unreachable`). */
  recheck: () => void;
  can: (permission: PermissionName) => boolean;
}

/** React context of the session; provided by `SessionProvider`. */
export const SessionContext = createContext<Session | null>(null);

/** The current session; only inside `SessionProvider`. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside SessionProvider');
  return session;
}
