import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from './platform/config.ts';
import { openDatabase, targetFromConfig } from './platform/db/database.ts';
import { prepareAll } from './prepare-all.ts';
import { sealAuditTrail, verifyAuditChain } from './platform/audit/index.ts';
import { describeResidentIdCheck, validateResidentId } from './platform/identity/index.ts';
import { ensureAdministrator, systemPrincipal } from './platform/auth/index.ts';
import { resetPassword } from './platform/auth/auth.service.ts';
import { importJobs } from './platform/imports/index.ts';
import { buildApp, openServices, WEB_ROOT } from './app.ts';
import { describeFile, IMPORT_KINDS, startImport } from './modules/imports/index.ts';
import { seedDemoCity, writeDemoCsv } from './demo-seed.ts';
import { EXTRACT_KINDS, RULE_CODES, runCompareCommand, runGenerateCommand, type CompareGenerateOptions, type CompareRunOptions } from './modules/compare/index.ts';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}

const program = new Command('minsheng').description('minsheng 民生: grassroots governance and livelihood services platform');

program
  .command('serve')
  .description('start the API and the console (migrates the database first)')
  .option('--demo', 'build the demo city when the database has no places yet')
  .option('--persons <n>', 'residents in the demo city', positiveInteger, 100_000)
  .option('--appeals <n>', 'appeals over the past year in the demo city', nonNegativeInteger, 20_000)
  .action(async (options: { demo?: boolean; persons: number; appeals: number }) => {
    const config = loadConfig();
    const { services, handle } = await openServices(config);
    const interrupted = await importJobs.failInterruptedImports(services.db);
    if (interrupted > 0) console.log(`marked ${interrupted} interrupted import(s) as failed`);
    const admin = await ensureAdministrator(services.db, { password: config.adminPassword, scopePath: '' });
    if (options.demo) await seedDemoCity(services, { persons: options.persons, appeals: options.appeals, log: console.log, skipIfPresent: true });
    const app = await buildApp(services, { webRoot: WEB_ROOT, logger: process.env.MINSHENG_LOG === 'true' });
    const close = async () => {
      await app.close();
      await services.jobs.stop();
      await handle.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void close());
    process.once('SIGTERM', () => void close());
    await app.listen({ port: config.port, host: config.host });
    const url = `http://localhost:${config.port}`;
    console.log(`minsheng is running at ${url} (database: ${handle.kind}${handle.kind === 'pglite' ? `, data in ${config.dataDir}` : ''})`);
    console.log(`API documentation: ${url}/docs`);
    if (admin) {
      console.log(admin.generated
        ? `First start: sign in as "${admin.username}" with the generated password ${admin.password}  (shown once; set MINSHENG_ADMIN_PASSWORD before the first start to choose it, or run "npx minsheng admin password")`
        : `First start: sign in as "${admin.username}" with the password from MINSHENG_ADMIN_PASSWORD`);
    }
  });

program
  .command('migrate')
  .description('bring the database schema and reference data up to date')
  .action(async () => {
    const config = loadConfig();
    const handle = await openDatabase(targetFromConfig(config));
    await prepareAll(handle.db);
    await handle.close();
    console.log(`database (${handle.kind}) is up to date`);
  });

program
  .command('seed')
  .description('build the deterministic demo city')
  .option('--persons <n>', 'number of residents', positiveInteger, 100_000)
  .option('--seed <n>', 'random seed', positiveInteger, 2024)
  .option('--appeals <n>', 'appeals over the past year', nonNegativeInteger, 20_000)
  .option('--csv <dir>', 'write the city as CSV files into DIR instead of the database')
  .action(async (options: { persons: number; seed: number; appeals: number; csv?: string }) => {
    if (options.csv) {
      await writeDemoCsv(options.csv, { persons: options.persons, seed: options.seed, log: console.log });
      return;
    }
    const { services, handle } = await openServices(loadConfig(), { isWorking: false });
    await seedDemoCity(services, { persons: options.persons, seed: options.seed, appeals: options.appeals, log: console.log, skipIfPresent: false });
    await services.jobs.stop();
    await handle.close();
  });

program
  .command('import')
  .description('import residents, households or organisations from a CSV (UTF-8 or GB18030) or XLSX file')
  .argument('<kind>', IMPORT_KINDS.join(' | '))
  .argument('<file>', 'path of the file')
  .action(async (kind: string, file: string) => {
    if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw new InvalidArgumentError(`kind must be one of ${IMPORT_KINDS.join(', ')}`);
    const { services, handle } = await openServices(loadConfig(), { isWorking: false });
    const { completion } = await startImport(services, systemPrincipal('cli'), kind as (typeof IMPORT_KINDS)[number], await describeFile(file));
    const result = await completion;
    await services.jobs.stop();
    await handle.close();
    console.log(JSON.stringify(result));
    if (result.status === 'failed') process.exitCode = 1;
  });

const audit = program.command('audit').description('audit trail');
audit
  .command('verify')
  .description('recompute the SM3 hash chain and report edited, inserted or deleted entries')
  .action(async () => {
    const config = loadConfig();
    const handle = await openDatabase(targetFromConfig(config));
    await prepareAll(handle.db);
    await sealAuditTrail(handle.db);
    const result = await verifyAuditChain(handle.db);
    await handle.close();
    if (result.isIntact) {
      console.log(`audit trail intact: ${result.checked} entries, head ${result.headHash}`);
    } else {
      console.log(`audit trail BROKEN: ${result.problems.length} problem(s) in ${result.checked} entries`);
      for (const problem of result.problems.slice(0, 100)) console.log(`  entry ${problem.id}: ${problem.reason.replace('_', ' ')}`);
      process.exitCode = 1;
    }
  });

const id = program.command('id').description('resident ID numbers');
id
  .command('check')
  .description('tell whether a resident ID number is valid and why not')
  .argument('<id>', '18- or 15-digit ID number')
  .action((value: string) => {
    console.log(describeResidentIdCheck(value));
    if (!validateResidentId(value).isValid) process.exitCode = 1;
  });

const compare = program.command('compare').description('大数据比对: compare department extracts (works without the server or database)');
const compareRun = compare
  .command('run')
  .description('compare extracts (CSV in UTF-8 or GB18030, XLSX, Parquet) and write DIR/suspects.csv and DIR/summary.json')
  .option('--as-of <date>', 'YYYY-MM-DD: payments are counted up to this date (or asOf in the spec)')
  .option('--spec <file>', 'comparison spec (JSON): files with format and column mapping, rules, parameters');
for (const kind of EXTRACT_KINDS) compareRun.option(`--${kind} <file>`, `${kind} extract`);
compareRun
  .option('--rules <codes>', `comma-separated rules to run (default: every rule whose extracts are given): ${RULE_CODES.join(', ')}`)
  .option('--threads <n>', 'DuckDB threads (default: all cores)', positiveInteger)
  .option('--memory-limit <size>', 'DuckDB memory limit, e.g. 12GB (default: 80% of RAM)')
  .requiredOption('--out <dir>', 'directory for the results')
  .action(async (options: CompareRunOptions) => {
    process.exitCode = await runCompareCommand(options);
  });
compare
  .command('generate')
  .description('write all seven extracts with known truth (truth.csv) for trying the comparison, streamed to disk')
  .requiredOption('--insured <n>', 'insured people', positiveInteger)
  .requiredOption('--out <dir>', 'directory for the files')
  .option('--seed <n>', 'random seed', positiveInteger, 2024)
  .option('--as-of <date>', 'YYYY-MM-DD the truth holds for (default 2024-06-15)')
  .option('--deaths <n>', 'death records (default: 1.2% of insured)', nonNegativeInteger)
  .option('--prisoners <n>', 'prison records (default: 0.5%)', nonNegativeInteger)
  .option('--payroll-rows <n>', 'payroll rows (default: 19%)', nonNegativeInteger)
  .option('--hospital-rows <n>', 'hospital stays (default: 4%)', nonNegativeInteger)
  .option('--assistance <n>', 'assistance recipients (default: 4%)', nonNegativeInteger)
  .option('--businesses <n>', 'businesses (default: 1.5%)', nonNegativeInteger)
  .option('--fuzzy-cases', 'also make cases only the fuzzy linking stage can resolve')
  .action(async (options: CompareGenerateOptions) => {
    process.exitCode = await runGenerateCommand(options);
  });

const admin = program.command('admin').description('administration');
admin
  .command('password')
  .description('set a new password for the administrator account (prints it when generated)')
  .option('--user <name>', 'account', 'admin')
  .action(async (options: { user: string }) => {
    const config = loadConfig();
    const handle = await openDatabase(targetFromConfig(config));
    await prepareAll(handle.db);
    const password = await resetPassword(handle.db, options.user, config.adminPassword);
    await handle.close();
    console.log(config.adminPassword ? `password of ${options.user} set from MINSHENG_ADMIN_PASSWORD` : `new password of ${options.user}: ${password}`);
  });

await program.parseAsync(process.argv);
