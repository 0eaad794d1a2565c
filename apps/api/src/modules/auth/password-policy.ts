import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

export const PASSWORD_MIN_LENGTH = 12;
const DEMO_PASSWORD = 'vigil-demo';
/** zxcvbn's 0-4 scale: 3 is "safely unguessable" for an online attack with throttling. */
const MIN_SCORE = 3;

/**
 * Passwords chosen for real accounts: at least 12 characters, and not guessable by zxcvbn-ts
 * (its maintained common-password, name and keyboard-pattern lists, plus the account's own email
 * and name), never the public demo password outside demo mode.
 */
@Injectable()
export class PasswordPolicy {
  private readonly zxcvbn = new ZxcvbnFactory({
    dictionary: { ...dictionary },
    graphs: adjacencyGraphs,
  });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Why a password is refused, or null when it may be used. */
  problem(password: string, account: { email: string; name: string }): string | null {
    if (password.length < PASSWORD_MIN_LENGTH)
      return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
    if (this.config.VIGIL_MODE !== 'demo' && password.toLowerCase().includes(DEMO_PASSWORD))
      return 'must not be the public demo password';
    const inputs = [
      account.email,
      ...account.email.split(/[@.+_-]/),
      ...account.name.split(/\s+/),
      'vigil',
      'ketamine',
    ].filter((w) => w.length >= 3);
    const result = this.zxcvbn.check(password, inputs);
    if (result.score < MIN_SCORE)
      return 'is too easy to guess (a common password, a pattern or your own name or email); use a longer passphrase';
    return null;
  }

  /** Throws a 400 naming the field when the password may not be used. */
  assert(password: string, account: { email: string; name: string }, field = 'password'): void {
    const problem = this.problem(password, account);
    if (problem) throw new BadRequestException(`${field}: ${problem}`);
  }
}
