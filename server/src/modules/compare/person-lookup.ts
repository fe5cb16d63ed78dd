import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadExtract, prepareComparisonDatabase, sqlString, type ExtractKind } from './extracts.ts';

/** A ready dataset as a lookup needs it. */
export interface PersonDataset {
  kind: string;
  stored_path: string;
  person_index_path: string | null;
}

/**
 * Runs `work` on an embedded DuckDB where each dataset is a table named after its kind, for
 * looking up a few people (a household's economic check, the deaths behind stopped payments).
 * A dataset's person index (its rows with a valid ID, sorted by it, written when it was profiled)
 * is read when there is one, so a lookup reads a few row groups; otherwise the extract is loaded
 * again with the engine's loader. Everything is released afterwards.
 */
export async function withPersonTables<T>(datasets: readonly PersonDataset[], asOf: string | undefined, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'minsheng-lookup-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    await prepareComparisonDatabase(connection, asOf);
    for (const dataset of datasets) {
      if (dataset.person_index_path && fs.existsSync(dataset.person_index_path)) {
        await connection.run(`CREATE OR REPLACE VIEW ${dataset.kind} AS SELECT * FROM read_parquet(${sqlString(dataset.person_index_path)})`);
      } else {
        await loadExtract(connection, dataset.kind as ExtractKind, dataset.stored_path, workDir);
      }
    }
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
    await fs.promises.rm(workDir, { recursive: true, force: true });
  }
}
