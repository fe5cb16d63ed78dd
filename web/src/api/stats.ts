import { endpoint } from './endpoint';
import type { Overview } from './types';

/** Registry counts within the account's scope. */
export const overviewEndpoint = endpoint<Overview>('/api/stats/overview');
