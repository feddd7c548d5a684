import { config } from '../infra/config';
import { ensureDatabaseExists, migrateLatest, migrateRollback } from '../infra/database';

const USAGE = 'usage: tsx scripts/db.ts migrate | rollback [--all]';

async function main(): Promise<void> {
  const [command, flag] = process.argv.slice(2);
  const url = config().DATABASE_URL;
  const target = new URL(url);
  const where = `${target.host}${target.pathname}`;
  if (command === 'migrate') {
    if (await ensureDatabaseExists(url)) process.stdout.write(`created database ${where}\n`);
    const applied = await migrateLatest(url);
    process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : `${where} is up to date\n`);
  } else if (command === 'rollback' && (flag === undefined || flag === '--all')) {
    const reverted = await migrateRollback(url, flag === '--all');
    process.stdout.write(reverted.length ? `rolled back ${reverted.join(', ')}\n` : 'nothing to roll back\n');
  } else {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `database command failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
