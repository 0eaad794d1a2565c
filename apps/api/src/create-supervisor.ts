import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { loadConfig } from './config/config.schema';
import { resolveDatabase } from './database/database-url';
import { AuditService } from './modules/audit/audit.service';
import { PasswordPolicy } from './modules/auth/password-policy';
import { PasswordService } from './modules/auth/password.service';
import { bootstrapSupervisor } from './modules/accounts/bootstrap-supervisor';

/**
 * `printf '%s' "$PASSWORD" | npm run create-supervisor -- --email a@example.org --name "A B"`:
 * the first supervisor of a production database (see bootstrapSupervisor). The password comes on
 * standard input so it never sits in argv or the shell's history.
 */
function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (!value) throw new Error(`--${name} is required`);
  return value;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main(): Promise<void> {
  const email = arg('email').trim().toLowerCase();
  const name = arg('name').trim();
  const password = await readStdin();
  if (password.length < 12)
    throw new Error('password (standard input) must be at least 12 characters');
  const config = loadConfig();
  const database = await resolveDatabase(config);
  try {
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({
        config: { ...config, VIGIL_MODE: 'production' },
        databaseUrl: database.url,
      }),
      { logger: ['error'] },
    );
    try {
      const id = await bootstrapSupervisor(
        {
          dataSource: app.get(DataSource),
          passwords: app.get(PasswordService),
          audit: app.get(AuditService),
          policy: app.get(PasswordPolicy),
        },
        { email, name, password },
      );
      console.log(`[create-supervisor] created supervisor ${email} (${id})`);
    } finally {
      await app.close();
    }
  } finally {
    await database.embedded?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`[create-supervisor] ${err.message}`);
    process.exit(1);
  },
);
