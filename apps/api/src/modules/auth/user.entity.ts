import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@vigil/contracts';

/**
 * A staff or patient account: who may sign in, as what role, with which password and token
 * version. In auth/, not accounts/: login, refresh and the JWT guard read it, and accounts/ (which
 * creates and changes accounts) imports auth/ for passwords and token revocation, so auth/
 * importing the entity from accounts/ was a folder cycle (accounts <-> auth).
 */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') email!: string;
  @Column('text') name!: string;
  @Column('text') role!: Role;
  @Column('text', { name: 'password_hash' }) passwordHash!: string;
  @Column('boolean') active!: boolean;
  @Column('integer', { name: 'token_version' }) tokenVersion!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'deactivated_at', nullable: true }) deactivatedAt!: Date | null;
}
