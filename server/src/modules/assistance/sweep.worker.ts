// A worker thread of the monitoring sweep: compiles the catalogue named in workerData (compiled
// CEL cannot cross threads) and answers each chunk of households with its counts, samples and
// candidates, tagged with the chunk's sequence so the sweep folds them in input order.
import { parentPort, workerData } from 'node:worker_threads';
import { createChunkEvaluator, planSweep, type SweepHousehold, type SweepWorkerData } from './sweep.ts';

const { catalogue, sampleLimit } = workerData as SweepWorkerData;
const evaluateChunk = createChunkEvaluator(planSweep(catalogue), sampleLimit);

parentPort?.on('message', (message: { sequence: number; households: SweepHousehold[] }) => {
  try {
    parentPort?.postMessage({ sequence: message.sequence, result: evaluateChunk(message.households) });
  } catch (error) {
    parentPort?.postMessage({ sequence: message.sequence, error: error instanceof Error ? error.message : String(error) });
  }
});
