// A worker for worker-pool.test.ts: doubles each number it is sent, and fails on a negative one.
import { answerRequests } from './worker-pool.ts';

answerRequests((value: number) => {
  if (value < 0) throw new Error('negative');
  return value * 2;
});
