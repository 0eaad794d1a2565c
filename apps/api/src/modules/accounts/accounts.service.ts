import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type {
  AccountResponse,
  AssignRequest,
  AssignmentResponse,
  CreateClinicianRequest,
  CreatePatientRequest,
} from '@vigil/contracts';
import { CLOCK, type Clock } from '../../common/clock';
import type { RequestContext } from '../../common/request-context';
import { AuditService, auditFrom, patientsShown } from '../audit/audit.service';
import { AccountEvents } from '../auth/account-events';
import { LoginThrottle } from '../auth/login-throttle';
import { PasswordPolicy } from '../auth/password-policy';
import { PasswordService } from '../auth/password.service';
import { AuthService } from '../auth/auth.service';
import type { ClinicianAssignmentEntity } from './clinician-assignment.entity';
import type { UserEntity } from '../auth/user.entity';
import {
  emailTaken,
  findUser,
  insertAssignment,
  insertPatient,
  insertUser,
  isActiveClinician,
  listAssignments,
  lockAssignment,
  lockUser,
  patientExists,
  patientOfUser,
  saveAssignment,
  saveUser,
} from './accounts.repository';

function toAccount(user: UserEntity, patientId?: string): AccountResponse {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    ...(patientId ? { patientId } : {}),
  };
}

function toAssignment(a: ClinicianAssignmentEntity): AssignmentResponse {
  return {
    id: a.id,
    clinicianId: a.clinicianId,
    patientId: a.patientId,
    validFrom: a.validFrom.toISOString(),
    validUntil: a.validUntil?.toISOString() ?? null,
  };
}

/**
 * Accounts: staff and patients, clinician assignments, deactivation, login lockouts (the
 * supervisor's admin routes); each change commits with its audit row.
 */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auth: AuthService,
    private readonly passwords: PasswordService,
    private readonly policy: PasswordPolicy,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly accountEvents: AccountEvents,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async createStaff(ctx: RequestContext, body: CreateClinicianRequest): Promise<AccountResponse> {
    this.policy.assert(body.password, body);
    const passwordHash = await this.passwords.hash(body.password);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.insertUser(manager, body.email, body.name, body.role, passwordHash);
      await this.audit.append(
        [
          auditFrom(ctx, {
            action: 'account.create',
            entityType: 'user',
            entityId: user.id,
            patientId: null,
            outcome: 'success',
            detail: { role: body.role },
          }),
        ],
        manager,
      );
      return toAccount(user);
    });
  }

  async createPatient(ctx: RequestContext, body: CreatePatientRequest): Promise<AccountResponse> {
    this.policy.assert(body.password, body);
    const passwordHash = await this.passwords.hash(body.password);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.insertUser(manager, body.email, body.name, 'patient', passwordHash);
      const patient = await insertPatient(manager, {
        userId: user.id,
        dateOfBirth: body.dateOfBirth ?? null,
        baselineSbp: body.baselineSbp ?? null,
        baselineDbp: body.baselineDbp ?? null,
        baselineHr: body.baselineHr ?? null,
        supportName: body.supportName ?? null,
        supportPhone: body.supportPhone ?? null,
        notes: body.notes ?? null,
      });
      await this.audit.append(
        [
          auditFrom(ctx, {
            action: 'patient.create',
            entityType: 'patient',
            entityId: patient.id,
            patientId: patient.id,
            outcome: 'success',
          }),
        ],
        manager,
      );
      return toAccount(user, patient.id);
    });
  }

  async assign(ctx: RequestContext, body: AssignRequest): Promise<AssignmentResponse> {
    return this.dataSource.transaction(async (manager) => {
      await this.requireClinician(manager, body.clinicianId);
      await this.requirePatient(manager, body.patientId);
      const assignment = await insertAssignment(manager, {
        clinicianId: body.clinicianId,
        patientId: body.patientId,
        validFrom: body.validFrom ? new Date(body.validFrom) : this.clock.now(),
        validUntil: null,
        createdBy: ctx.user.id,
      });
      await this.audit.append(
        [
          auditFrom(ctx, {
            action: 'assignment.create',
            entityType: 'assignment',
            entityId: assignment.id,
            patientId: body.patientId,
            outcome: 'success',
            detail: { clinicianId: body.clinicianId },
          }),
        ],
        manager,
      );
      return toAssignment(assignment);
    });
  }

  async endAssignment(ctx: RequestContext, assignmentId: string): Promise<AssignmentResponse> {
    const ended = await this.dataSource.transaction(async (manager) => {
      const assignment = await lockAssignment(manager, assignmentId);
      if (!assignment) throw new NotFoundException('assignment: not found');
      if (assignment.validUntil && assignment.validUntil <= this.clock.now()) {
        throw new ConflictException('assignment: already ended');
      }
      assignment.validUntil = this.clock.now();
      if (assignment.validUntil <= assignment.validFrom)
        assignment.validUntil = new Date(assignment.validFrom.getTime() + 1);
      await saveAssignment(manager, assignment);
      await this.audit.append(
        [
          auditFrom(ctx, {
            action: 'assignment.end',
            entityType: 'assignment',
            entityId: assignment.id,
            patientId: assignment.patientId,
            outcome: 'success',
            detail: { clinicianId: assignment.clinicianId },
          }),
        ],
        manager,
      );
      return assignment;
    });
    this.accountEvents.publish({
      type: 'assignment.ended',
      clinicianId: ended.clinicianId,
      patientId: ended.patientId,
      endedAt: ended.validUntil!,
    });
    return toAssignment(ended);
  }

  async listAssignments(ctx: RequestContext): Promise<AssignmentResponse[]> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await listAssignments(manager);
      await this.audit.append(
        [
          auditFrom(ctx, {
            action: 'assignment.list',
            entityType: 'assignment',
            entityId: null,
            patientId: null,
            outcome: 'success',
            detail: { patientIds: patientsShown(rows.map((r) => r.patientId)) },
          }),
        ],
        manager,
      );
      return rows.map(toAssignment);
    });
  }

  async deactivate(ctx: RequestContext, userId: string): Promise<AccountResponse> {
    if (userId === ctx.user.id)
      throw new BadRequestException('id: you cannot deactivate your own account');
    const user = await this.dataSource.transaction(async (manager) => {
      const found = await lockUser(manager, userId);
      if (!found) throw new NotFoundException('account: not found');
      found.active = false;
      found.deactivatedAt = this.clock.now();
      found.tokenVersion += 1;
      await saveUser(manager, found);
      await this.auth.revokeRefreshTokensWithin(manager, userId);
      await this.audit.append(
        [
          auditFrom(ctx, {
            action: 'account.deactivate',
            entityType: 'user',
            entityId: userId,
            // A patient's account is her record too: the log's patient filter must find this.
            patientId: await patientOfUser(manager, userId),
            outcome: 'success',
          }),
        ],
        manager,
      );
      return found;
    });
    this.accountEvents.publish({ type: 'user.deactivated', userId });
    return toAccount(user);
  }

  /** Lifts every login backoff of an account (after the supervisor has checked who is asking). */
  async clearLoginLockouts(ctx: RequestContext, userId: string): Promise<{ cleared: number }> {
    const user = await findUser(this.dataSource.manager, userId);
    if (!user) throw new NotFoundException('account: not found');
    const clients = await this.throttle.clear(user.email);
    await this.audit.append([
      auditFrom(ctx, {
        action: 'account.login_lockout_clear',
        entityType: 'user',
        entityId: userId,
        patientId: await patientOfUser(this.dataSource.manager, userId),
        outcome: 'success',
        detail: { cleared: clients.length, clients },
      }),
    ]);
    return { cleared: clients.length };
  }

  private async insertUser(
    manager: EntityManager,
    email: string,
    name: string,
    role: UserEntity['role'],
    passwordHash: string,
  ): Promise<UserEntity> {
    const normalised = email.trim().toLowerCase();
    if (await emailTaken(manager, normalised))
      throw new ConflictException('email: an account with this email already exists');
    return insertUser(manager, { email: normalised, name, role, passwordHash });
  }

  /** In the caller's transaction: refuses an id that is not an active clinician's. */
  async requireClinician(manager: EntityManager, id: string): Promise<void> {
    if (!(await isActiveClinician(manager, id)))
      throw new BadRequestException('clinicianId: no active clinician with this id');
  }

  /** In the caller's transaction: refuses an id that is not a patient's. */
  async requirePatient(manager: EntityManager, id: string): Promise<void> {
    if (!(await patientExists(manager, id)))
      throw new BadRequestException('patientId: no patient with this id');
  }
}
